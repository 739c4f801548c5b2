import { AppError } from "@/lib/http/errors";
import { processState } from "@/lib/process-state";

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

/** Why runs end when the server stops: they fail (not cancelled) and say so; Retry resumes them. */
export function shutdownReason(): AppError {
  return new AppError("unavailable:shutdown", "The server restarted while this run was going.");
}

/** Stop every run with `reason` and wait until each has recorded how it ended. */
export async function stopAllRuns(reason: AppError): Promise<void> {
  state.stoppingAll = true;
  const running = [...activeRuns.values()];
  for (const run of running) run.controller.abort(reason);
  await Promise.all(running.map((run) => run.done));
}
