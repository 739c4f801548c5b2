/**
 * The workspace at a step is derived, never stored: replay the file-changing steps on the
 * path from the root, over the session's starting files (`start`, the project at the task
 * step; empty for a session started without files). Two kinds of step change files:
 * - a `tool_call` of write_file/edit_file — counted once the path holds its successful
 *   `tool_result` (a call still pending, awaiting approval, denied or failed changed nothing);
 *   a call a reviewer edited before approving writes the reviewer's content instead (its
 *   result's `review.toolInput`);
 * - a human file edit: a `user_note` whose providerData is a write_file call (a person
 *   saved a file in the editor).
 */

import type { StepNode } from "./types";
import { applyTool, FILE_TOOL_NAMES, type VirtualFiles } from "./virtual-files";

const NO_FILES: VirtualFiles = new Map();

interface FileToolCall {
  toolName: string;
  toolInput: string;
}

function fileToolCall(step: StepNode): FileToolCall | null {
  const data = step.providerData;
  if (!data?.toolName || data.toolInput === undefined || !FILE_TOOL_NAMES.has(data.toolName)) return null;
  if (step.kind === "tool_call") return { toolName: data.toolName, toolInput: data.toolInput };
  if (step.kind === "user_note" && data.toolName === "write_file") {
    return { toolName: data.toolName, toolInput: data.toolInput };
  }
  return null;
}

/** A person's save in the editor, as the file it wrote; null for any other step or unreadable input. */
export function humanFileEdit(step: StepNode): { path: string; content: string } | null {
  if (step.kind !== "user_note") return null;
  const call = fileToolCall(step);
  if (!call) return null;
  // Writing into an empty workspace validates and normalises the input exactly as replay will.
  const { files, written } = applyTool(NO_FILES, call.toolName, call.toolInput);
  const content = written === undefined ? undefined : files.get(written);
  return written !== undefined && content !== undefined ? { path: written, content } : null;
}

/** Call id → the write its successful result applied in its place (a reviewer's edit), or null: the call's own. */
type Succeeded = ReadonlyMap<string, FileToolCall | null>;

function succeededCallIds(path: readonly StepNode[]): Succeeded {
  const ids = new Map<string, FileToolCall | null>();
  for (const step of path) {
    const id = step.providerData?.toolCallId;
    if (step.kind !== "tool_result" || !id || step.providerData?.isError) continue;
    const edited = step.providerData?.review?.toolInput;
    ids.set(id, edited === undefined ? null : { toolName: "write_file", toolInput: edited });
  }
  return ids;
}

/** The file call a step applies on this path, or null. */
function appliedCall(step: StepNode, succeeded: Succeeded): FileToolCall | null {
  const call = fileToolCall(step);
  if (!call) return null;
  if (step.kind === "user_note") return call;
  const id = step.providerData?.toolCallId;
  if (!id || !succeeded.has(id)) return null;
  return succeeded.get(id) ?? call;
}

/**
 * The files after every step of the path, in one pass. Steps that change nothing share
 * the previous step's map, so callers can memoise on identity.
 */
export function filesAlongPath(path: readonly StepNode[], start: VirtualFiles = NO_FILES): Map<string, VirtualFiles> {
  const succeeded = succeededCallIds(path);
  const along = new Map<string, VirtualFiles>();
  let files = start;
  for (const step of path) {
    const call = appliedCall(step, succeeded);
    if (call) files = applyTool(files, call.toolName, call.toolInput).files;
    along.set(step.id, files);
  }
  return along;
}

function filesBefore(path: readonly StepNode[], end: number, succeeded: Succeeded, start: VirtualFiles): VirtualFiles {
  let files = start;
  for (let i = 0; i < end; i++) {
    const call = appliedCall(path[i] as StepNode, succeeded);
    if (call) files = applyTool(files, call.toolName, call.toolInput).files;
  }
  return files;
}

/** The workspace at the end of the path (what the editor shows for a branch). */
export function filesAt(path: readonly StepNode[], start: VirtualFiles = NO_FILES): Map<string, string> {
  return new Map(filesBefore(path, path.length, succeededCallIds(path), start));
}

export interface StepFileChange {
  path: string;
  /** "" for a file the step created */
  before: string;
  after: string;
  created: boolean;
}

/**
 * What one step does to a file, for its diff view: its call run on the files before it.
 * Shown whether or not the call has run yet (a pending or awaiting-approval call shows
 * what it proposes); null when the step touches no file or the call itself fails.
 */
export function fileChangesAt(
  path: readonly StepNode[],
  stepId: string,
  start: VirtualFiles = NO_FILES,
): StepFileChange | null {
  const at = path.findIndex((s) => s.id === stepId);
  const step = path[at];
  const call = step ? fileToolCall(step) : null;
  if (!call) return null;
  const succeeded = succeededCallIds(path);
  const before = filesBefore(path, at, succeeded, start);
  // once run, what was applied (a reviewer's edit), else what the call proposes
  const applied = (step && appliedCall(step, succeeded)) ?? call;
  const { files: after, written } = applyTool(before, applied.toolName, applied.toolInput);
  if (written === undefined) return null;
  return {
    path: written,
    before: before.get(written) ?? "",
    after: after.get(written) ?? "",
    created: !before.has(written),
  };
}
