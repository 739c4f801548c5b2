"use client";

import { useMemo, useRef } from "react";
import { fileChangesAt, filesAlongPath, humanFileEdit, type StepFileChange } from "@/lib/steps/files";
import type { StepNode } from "@/lib/steps/types";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import { touchesFiles } from "../timeline/step-kind";
import { readToolInput } from "../timeline/tool-input";

export interface WorkspaceView {
  /** the project's files after the step in view */
  files: VirtualFiles;
  /** what the step in view did to a file, for the Diff tab */
  change: StepFileChange | null;
  /** the file most recently written up to the step in view: what to open by default */
  recentPath: string | null;
  /**
   * A file the model is writing: the step in view is the branch's last and a write_file
   * call not applied yet — still streaming, or finished and waiting for its result.
   */
  live: { path: string; content: string; streaming: boolean } | null;
}

const NO_FILES: VirtualFiles = new Map();
const NO_STEPS: readonly StepNode[] = [];

function sameFileSteps(a: readonly StepNode[], b: readonly StepNode[]): boolean {
  if (a.length !== b.length) return false;
  // A streaming delta replaces a step object but keeps its providerData: that is all files depend on.
  return a.every((step, i) => step.id === b[i]?.id && step.providerData === b[i]?.providerData);
}

function writtenPath(step: StepNode): string | undefined {
  if (step.kind === "user_note") return humanFileEdit(step)?.path;
  if (step.kind !== "tool_call") return undefined;
  return step.providerData?.file?.path ?? readToolInput(step).path;
}

/**
 * The workspace as it was at one step of the path (`pointId`, or the end of the path),
 * over the session's starting files (`start`, the project at the task step). Files are
 * replayed once per change to the file-touching steps, not once per delta.
 */
export function useWorkspaceAt(
  path: readonly StepNode[],
  pointId: string | null,
  start: VirtualFiles = NO_FILES,
): WorkspaceView {
  const cache = useRef<readonly StepNode[]>(NO_STEPS);
  const fileSteps = useMemo(() => {
    const next = path.filter(touchesFiles);
    if (sameFileSteps(cache.current, next)) return cache.current;
    cache.current = next;
    return next;
  }, [path]);
  const along = useMemo(() => filesAlongPath(fileSteps, start), [fileSteps, start]);

  // The last file-touching step at or before the point.
  const pointAt = pointId ? path.findIndex((step) => step.id === pointId) : path.length - 1;
  let lastFileStep: StepNode | undefined;
  for (let i = pointAt; i >= 0; i--) {
    const step = path[i] as StepNode;
    if (touchesFiles(step)) {
      lastFileStep = step;
      break;
    }
  }
  const files = lastFileStep ? (along.get(lastFileStep.id) ?? start) : start;
  const lastFileStepId = lastFileStep?.id ?? null;

  const point = path[pointAt];
  // A tool's result shows the change of the call it answers: that is where the write landed.
  const answeredCallId = point?.kind === "tool_result" ? point.providerData?.toolCallId : undefined;
  const changeStepId = point && touchesFiles(point) ? point.id : null;
  const change = useMemo(() => {
    const callStep = answeredCallId
      ? fileSteps.find((step) => step.kind === "tool_call" && step.providerData?.toolCallId === answeredCallId)
      : undefined;
    const stepId = callStep?.id ?? changeStepId;
    return stepId ? fileChangesAt(fileSteps, stepId, start) : null;
  }, [fileSteps, changeStepId, answeredCallId, start]);

  const recentPath = useMemo(() => {
    const end = lastFileStepId ? fileSteps.findIndex((step) => step.id === lastFileStepId) : -1;
    for (let i = end; i >= 0; i--) {
      const written = writtenPath(fileSteps[i] as StepNode);
      if (written && files.has(written)) return written;
    }
    return null;
  }, [fileSteps, lastFileStepId, files]);

  const isLast = pointAt === path.length - 1;
  const live = useMemo(() => {
    if (!isLast || point?.kind !== "tool_call" || point.providerData?.toolName !== "write_file") return null;
    if (point.status === "interrupted" || point.status === "error") return null;
    const input = readToolInput(point);
    if (!input.path || input.content === undefined) return null;
    return { path: input.path, content: input.content, streaming: point.status === "streaming" };
  }, [point, isLast]);

  return { files, change, recentPath, live };
}
