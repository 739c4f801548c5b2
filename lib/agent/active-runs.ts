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

/** A suite run this process executes (lib/suites/runner.ts); its controller's reason is a SuiteStop. */
export interface ActiveSuiteRun {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Why a suite run this process executes stops: a person's Stop (its tasks' runs are
 * cancelled and it ends `cancelled`), this server stopping (it is handed back: it records
 * nothing more and its lease is released, for another instance — or this server's successor
 * — to take over), or the heartbeat finding it is not this process's any more (ended
 * elsewhere, or taken over after this process stalled past its lease: it records nothing).
 */
export type SuiteStop = { kind: "stopped" } | { kind: "handed_back" } | { kind: "lost" };

const state = processState();
state.activeRuns ??= new Map();
export const activeRuns: Map<string, ActiveRun> = state.activeRuns;
state.activeSuiteRuns ??= new Map();
export const activeSuiteRuns: Map<string, ActiveSuiteRun> = state.activeSuiteRuns;
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
 * resume; any other fails and says so, and Retry resumes it. Every suite run is handed back
 * first (it records nothing of its tasks' runs ending now, and its lease is released once
 * they have), so the instance that takes it over resumes those tasks.
 */
export async function stopAllRuns(): Promise<void> {
  state.stoppingAll = true;
  // at once, before a lane meets the 503 of a run start and records its task as an error
  const suiteRuns = [...activeSuiteRuns.values()];
  for (const suiteRun of suiteRuns) suiteRun.controller.abort({ kind: "handed_back" } satisfies SuiteStop);
  await stopRunWorker().catch((error: unknown) => console.error("[runs] could not stop the queue worker", error));
  const running = [...activeRuns.values()];
  for (const run of running) {
    const reason: RunStop = run.resumable ? { kind: "handed_back" } : { kind: "shutdown" };
    run.controller.abort(reason);
  }
  await Promise.all([...running, ...suiteRuns].map((run) => run.done));
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
