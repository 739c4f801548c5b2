/**
 * The plan gate's logic, pure: which tool calls wait for a reviewer, and what the model reads
 * once one has decided. A decision always travels as the call's own tool result — never as a
 * user message, which would make MiniMax's chat template drop the thinking of every earlier
 * turn (minimax-wire.md §3) — labelled as the reviewer's:
 * - approved: the call runs as the model sent it (a note, if given, follows the result);
 * - edited: the reviewer's content is written instead, and the result ends with their change
 *   to the model's version as a unified diff;
 * - rejected: nothing is written; the result is an error carrying the rejection and the comment.
 */
import { createTwoFilesPatch } from "diff";
import { executeTool, type ToolExecution } from "@/lib/agent/tools";
import type { ReviewRecord, StepNode } from "@/lib/steps/types";
import { FILE_TOOL_NAMES, isToolName, runFileTool, type VirtualFiles } from "@/lib/steps/virtual-files";

/** What a reviewer decided, as stored with the approval (lib/db/approvals.ts). */
export interface ReviewDecision {
  decision: "approved" | "rejected";
  /** edit then approve: the whole file as the reviewer approved it */
  editedContent: string | null;
  comment: string | null;
  /** the reviewer's display name; null without accounts */
  by: string | null;
}

/** The call's tool name and arguments string as the model sent them. */
function callInput(call: StepNode): { toolName: string; input: string } {
  return { toolName: call.providerData?.toolName ?? "", input: call.providerData?.toolInput ?? call.content };
}

/**
 * Whether the gate holds this call for a reviewer: a write_file/edit_file call that would
 * write a file on `files`. A call that fails anyway (a bad path, an edit whose old_string is
 * not there) is not held: it runs and the model reads its error, as without the gate.
 */
export function proposedWrite(call: StepNode, files: VirtualFiles): { path: string; after: string } | null {
  const { toolName, input } = callInput(call);
  if (call.kind !== "tool_call" || !FILE_TOOL_NAMES.has(toolName) || !isToolName(toolName)) return null;
  const outcome = runFileTool(files, toolName, input);
  return outcome.kind === "wrote" ? { path: outcome.path, after: outcome.after } : null;
}

const who = (by: string | null) => (by ? `The reviewer (${by})` : "The reviewer");

/** A code fence longer than any backtick run in the text, so the text can't close it. */
function fenceFor(text: string): string {
  const longest = (text.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 2);
  return "`".repeat(longest + 1);
}

/** The reviewer's change to the model's version of `path`, as a unified diff (yours → theirs). */
export function reviewerDiff(path: string, proposed: string, edited: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, proposed, edited, "your version", "the reviewer's version", {
    context: 3,
  })
    .split("\n")
    .filter((line) => !line.startsWith("====="))
    .join("\n");
}

/** A decided call's result: what the model reads, the files after it, and the record for the step. */
export interface ReviewedExecution extends ToolExecution {
  review: ReviewRecord;
}

/**
 * Runs a call a reviewer decided on `files`. Throws nothing: a call that no longer proposes a
 * write (the files changed under it) runs as sent, and its own error is the result.
 */
export function executeReviewed(call: StepNode, files: VirtualFiles, decision: ReviewDecision): ReviewedExecution {
  const { toolName, input } = callInput(call);
  const proposal = proposedWrite(call, files);
  const comment = decision.comment?.trim() || undefined;
  const base: ReviewRecord = { decision: decision.decision, by: decision.by, ...(comment ? { comment } : {}) };

  if (decision.decision === "rejected" || !proposal) {
    if (decision.decision === "rejected" && proposal) {
      const output = [
        `${who(decision.by)} rejected this change, so it was not applied: ${proposal.path} is unchanged.`,
        comment ? `Their comment: ${comment}` : "They left no comment.",
        "Take this into account and plan again before you write the file.",
      ].join("\n");
      return { output, isError: true, files, review: base };
    }
    return { ...executeTool(files, toolName, input), review: base };
  }

  const edited = decision.editedContent;
  if (edited === null || edited === proposal.after) {
    const execution = executeTool(files, toolName, input);
    const note = comment ? `\n\n${who(decision.by)} approved this change and noted: ${comment}` : "";
    return { ...execution, output: `${execution.output}${note}`, review: base };
  }

  const applied = JSON.stringify({ path: proposal.path, content: edited });
  const execution = executeTool(files, "write_file", applied);
  const diff = reviewerDiff(proposal.path, proposal.after, edited);
  const fence = fenceFor(diff);
  const output = [
    `${execution.output}. ${who(decision.by)} edited your proposed content before approving it: ${proposal.path} now holds their version, not yours.`,
    "Their change to your version, as a unified diff (yours → theirs):",
    `${fence}diff\n${diff.endsWith("\n") ? diff : `${diff}\n`}${fence}`,
    ...(comment ? [`Their comment: ${comment}`] : []),
  ].join("\n");
  return { ...execution, output, review: { ...base, decision: "edited", toolInput: applied } };
}
