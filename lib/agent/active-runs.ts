import { AppError } from "@/lib/http/errors";
import { processState } from "@/lib/process-state";
import { stopRunWorker } from "./run-queue";
import type { RunStop } from "./run-stop";

/**
 * The runs this process is executing, shared through globalThis: the route bundles and
 * the server's instrumentation hook each load their own copy of this module.
 */

export interface ActiveRun {
  sessionId: string;
  controller: AbortController;
  done: Promise<void>;
  /** its session resumes runs cut off by a server stopping (settings.resumeInterrupted): a graceful stop hands it back */
  resumable: boolean;
}

const state = processState();
state.activeRuns ??= new Map();
export const activeRuns: Map<string, ActiveRun> = state.activeRuns;
state.testRunsRunning ??= new Set();
const testRunsRunning = state.testRunsRunning;

/** Once the server is stopping, no run starts. */
export function acceptingRuns(): boolean {
  return !state.stoppingAll;
}

/**
 * The one refusal of work while the server stops: 503 `unavailable:shutdown`, "The server is
 * restarting. Try again in a moment." Thrown by a run's start, a test run's and a reviewer's
 * decision (which continues a run) once `acceptingRuns()` is false.
 */
export function serverStopping(): AppError {
  return new AppError("unavailable:shutdown", "The server is restarting. Try again in a moment.");
}

/**
 * The server is stopping: take no more runs from the queue, stop every run and wait until each has settled. A run whose
 * session resumes interrupted runs is handed back (its steps saved, its lease released at
 * once) for another instance's heartbeat — or this server's successor's first one — to
 * resume; any other fails and says so, and Retry resumes it.
 */
export async function stopAllRuns(): Promise<void> {
  state.stoppingAll = true;
  await stopRunWorker().catch((error: unknown) => console.error("[runs] could not stop the queue worker", error));
  const running = [...activeRuns.values()];
  for (const run of running) {
    const reason: RunStop = run.resumable ? { kind: "handed_back" } : { kind: "shutdown" };
    run.controller.abort(reason);
  }
  await Promise.all(running.map((run) => run.done));
}

/**
 * Runs a person's test run (Run tests) as work a graceful stop waits for: its answer is a
 * report the person is waiting for, a few seconds away, so the server lets it finish
 * (within the stop's grace) instead of cutting the response. Once the server is stopping
 * none starts: 503 `unavailable:shutdown`, like a run.
 */
export async function trackTestRun<T>(work: () => Promise<T>): Promise<T> {
  if (!acceptingRuns()) throw serverStopping();
  const running = work();
  testRunsRunning.add(running);
  try {
    return await running;
  } finally {
    testRunsRunning.delete(running);
  }
}

/** Resolves once every test run going now has ended, however it ended (the graceful stop waits for it). */
export async function settleTestRuns(): Promise<void> {
  await Promise.allSettled([...testRunsRunning]);
}
