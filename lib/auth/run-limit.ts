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

/** Test runs (Run tests) one person may have going at once, per instance. */
export const TEST_RUNS_AT_ONCE = 2;

/** Suite runs one person may have going at once, per instance. */
export const SUITE_RUNS_AT_ONCE = 2;

/**
 * Takes one of the caller's `max` places in `counter` (per user, all their workspaces
 * together; a caller that is no user counts per workspace) and returns the function that
 * gives it back (once, however often it is called), or throws `refusal`.
 */
function holdPlace(caller: Caller, counter: "testRunsGoing" | "suiteRunsGoing", max: number, refusal: AppError) {
  const state = processState();
  state[counter] ??= new Map();
  const going = state[counter];
  const key = caller.userId ?? `workspace:${caller.workspaceId}`;
  const count = going.get(key) ?? 0;
  if (count >= max) throw refusal;
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
 * Takes one of the caller's TEST_RUNS_AT_ONCE places for a test run and returns the
 * function that gives it back, or refuses with 429 `rate_limit:test_runs`. The sandbox runs
 * as many tests at once as the machine has cores and queues the rest first come, first
 * served: without this one person, a guest too, could queue hundreds of runs and make
 * everyone else's, the model's run_tests included, wait behind them. Per instance.
 */
export function holdTestRun(caller: Caller): () => void {
  return holdPlace(
    caller,
    "testRunsGoing",
    TEST_RUNS_AT_ONCE,
    new AppError(
      "rate_limit:test_runs",
      `You have ${TEST_RUNS_AT_ONCE} test runs going, the most at once. Run these tests once one has finished.`,
      { limit: TEST_RUNS_AT_ONCE },
    ),
  );
}

/**
 * Takes one of the caller's SUITE_RUNS_AT_ONCE places for a suite run and returns the
 * function that gives it back when the suite run ends, or refuses with 429
 * `rate_limit:suite_runs`. A suite run starts its tasks' runs itself, outside
 * RUN_STARTS_PER_MINUTE (its 20 tasks on 2 models are 40 runs), up to 8 at once: without
 * this one person, a guest too, could start suite run after suite run, each with 8 model
 * runs going on the server's API key. Per instance.
 */
export function holdSuiteRun(caller: Caller): () => void {
  return holdPlace(
    caller,
    "suiteRunsGoing",
    SUITE_RUNS_AT_ONCE,
    new AppError(
      "rate_limit:suite_runs",
      `You have ${SUITE_RUNS_AT_ONCE} suite runs going, the most at once. Start this one once one has finished or been stopped.`,
      { limit: SUITE_RUNS_AT_ONCE },
    ),
  );
}
