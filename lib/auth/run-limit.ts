import type { Caller } from "@/lib/auth/scopes";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { countAgainstLimit } from "@/lib/http/rate-limit";
import { processState } from "@/lib/process-state";

/**
 * Counts `count` run starts against the caller's user (RUN_STARTS_PER_MINUTE, all their
 * workspaces and tokens together; a caller that is no user counts per workspace), or
 * refuses with 429 `rate_limit:runs` and Retry-After in seconds. Per instance: with
 * several instances each allows the limit.
 */
export function assertRunStartsAllowed(caller: Caller, count = 1): void {
  const max = env().RUN_STARTS_PER_MINUTE;
  const result = countAgainstLimit({
    limit: "runs",
    key: caller.userId ?? `workspace:${caller.workspaceId}`,
    max,
    count,
  });
  if (result.allowed) return;
  throw new AppError(
    "rate_limit:runs",
    `You started ${max} runs in the last minute, the most allowed. Try again in ${result.retryAfterSeconds} s.`,
    { retryAfterSeconds: result.retryAfterSeconds, limit: max },
    { "Retry-After": String(result.retryAfterSeconds) },
  );
}

/**
 * Test runs (Run tests) one person may have going at once, per instance: the limit guards
 * the instance's own sandbox queue (lib/sandbox/pool.ts), so it is counted where the
 * sandbox is. A test run lasts seconds and lives in its request; counting it across
 * instances would cost a database write per run and protect no queue.
 */
export const TEST_RUNS_AT_ONCE = 2;

/** Suite runs one person may have running at once, counted in the database across instances (lib/db/suite-runs.ts insertSuiteRun). */
export const SUITE_RUNS_AT_ONCE = 2;

/**
 * Takes one of the caller's TEST_RUNS_AT_ONCE places for a test run (per user, all their
 * workspaces together; a caller that is no user counts per workspace) and returns the
 * function that gives it back (once, however often it is called), or refuses with 429
 * `rate_limit:test_runs`. The sandbox runs as many tests at once as the machine has cores
 * and queues the rest first come, first served: without this one person, a guest too,
 * could queue hundreds of runs and make everyone else's, the model's run_tests included,
 * wait behind them. Per instance.
 */
export function holdTestRun(caller: Caller): () => void {
  const state = processState();
  state.testRunsGoing ??= new Map();
  const going = state.testRunsGoing;
  const key = caller.userId ?? `workspace:${caller.workspaceId}`;
  const count = going.get(key) ?? 0;
  if (count >= TEST_RUNS_AT_ONCE) {
    throw new AppError(
      "rate_limit:test_runs",
      `You have ${TEST_RUNS_AT_ONCE} test runs going, the most at once. Run these tests once one has finished.`,
      { limit: TEST_RUNS_AT_ONCE },
    );
  }
  going.set(key, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (going.get(key) ?? 1) - 1;
    if (left > 0) going.set(key, left);
    else going.delete(key);
  };
}

/**
 * The 429 `rate_limit:suite_runs` for a person who has SUITE_RUNS_AT_ONCE suite runs
 * running. A suite run starts its tasks' runs itself, outside RUN_STARTS_PER_MINUTE (its
 * 20 tasks on 2 models are 40 runs), up to 8 at once: without the limit one person, a
 * guest too, could start suite run after suite run, each with 8 model runs going on the
 * server's API key.
 */
export function suiteRunsRefusal(): AppError {
  return new AppError(
    "rate_limit:suite_runs",
    `You have ${SUITE_RUNS_AT_ONCE} suite runs going, the most at once. Start this one once one has finished or been stopped.`,
    { limit: SUITE_RUNS_AT_ONCE },
  );
}
