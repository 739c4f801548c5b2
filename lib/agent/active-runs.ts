import { processState } from "@/lib/process-state";
import type { RunStop } from "./run-stop";

/**
 * The runs this process is executing, shared through globalThis: the route bundles and
 * the server's instrumentation hook each load their own copy of this module.
 */

export interface ActiveRun {
  sessionId: string;
  controller: AbortController;
  done: Promise<void>;
}

const state = processState();
state.activeRuns ??= new Map();
export const activeRuns: Map<string, ActiveRun> = state.activeRuns;

/** Once the server is stopping, no run starts. */
export function acceptingRuns(): boolean {
  return !state.stoppingAll;
}

/**
 * The server is stopping: stop every run and wait until each has recorded how it ended.
 * They fail (not cancelled) and say so; Retry resumes them.
 */
export async function stopAllRuns(): Promise<void> {
  state.stoppingAll = true;
  const running = [...activeRuns.values()];
  const reason: RunStop = { kind: "shutdown" };
  for (const run of running) run.controller.abort(reason);
  await Promise.all(running.map((run) => run.done));
}
