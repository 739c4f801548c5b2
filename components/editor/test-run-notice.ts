import type { StepNode } from "@/lib/steps/types";

/**
 * The newest test run `by` made in the session (Run tests, or POST …/test-runs: a
 * `user_note` step with a test report; `by` a user id, StepNode.authorId), by creation
 * time; null when there is none. The editor watches it to learn that one of the person's
 * test runs ended: the limit it refused a test run for counts each person's own
 * (lib/auth/run-limit.ts), so another person's ending frees none of theirs. `by` null (not
 * known who is on the page): anyone's.
 */
export function latestTestRunId(steps: Iterable<StepNode>, by: string | null = null): string | null {
  let latest: StepNode | null = null;
  for (const step of steps) {
    if (step.kind !== "user_note" || !step.providerData?.testReport) continue;
    if (by !== null && step.authorId !== by) continue;
    if (!latest || step.createdAt > latest.createdAt) latest = step;
  }
  return latest?.id ?? null;
}

/** A write of the editor that failed: what the server said, and the newest test run known then. */
export interface EditorFailure {
  message: string;
  /** the error code (`rate_limit:test_runs`…); null when the server gave none */
  code: string | null;
  /** latestTestRunId when it failed */
  latestTestRunId: string | null;
}

/** What the editor says in place of "You have 2 test runs going" once a test run has ended. */
export const TEST_RUN_ENDED = "A test run has finished: try Run tests again.";

/** A message of the editor's: a failure (`error`) or news the person can act on (`info`). */
export interface EditorNotice {
  message: string;
  tone: "error" | "info";
}

/**
 * The message to show for `failure` now that the person's newest test run is
 * `latestTestRunId`: a refusal for too many test runs going no longer holds once one of
 * their test runs ended after it (a place may be free), so it gives way to TEST_RUN_ENDED, which is good news (`info`); any
 * other failure stands as an `error`.
 */
export function failureNotice(failure: EditorFailure | null, latestTestRunId: string | null): EditorNotice | null {
  if (!failure) return null;
  if (failure.code === "rate_limit:test_runs" && latestTestRunId !== failure.latestTestRunId) {
    return { message: TEST_RUN_ENDED, tone: "info" };
  }
  return { message: failure.message, tone: "error" };
}
