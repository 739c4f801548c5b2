/**
 * Test runs as steps: the model's `run_tests` calls (a tool_result) and a person's Run in the
 * editor (a user_note). Pure functions shared by the run loop, the API and the timeline.
 */
import type { TestReport } from "@/lib/sandbox/types";

/** A report's output and messages beyond this many characters are cut (head and tail kept) for storage. */
const STORED_OUTPUT_CHARS = 4000;
const STORED_MESSAGE_CHARS = 2000;
/** Tests beyond this many are not stored one by one (the counts still cover them). */
const STORED_TESTS = 200;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil(max * 0.6);
  return `${text.slice(0, head)}\n… (${text.length - max} characters left out) …\n${text.slice(text.length - (max - head))}`;
}

/**
 * The report as a step stores it: stdout/stderr cut to 4,000 characters each, failure
 * messages to 2,000, at most 200 tests listed — failures first, so none is lost to the cap.
 * Counts, outcome, duration and limits are kept as they are. A stream that was cut is marked
 * `truncated`.
 */
export function compactReport(report: TestReport): TestReport {
  const failing = report.tests.filter((test) => test.status === "fail" || test.status === "error");
  const rest = report.tests.filter((test) => test.status !== "fail" && test.status !== "error");
  const kept =
    failing.length + rest.length > STORED_TESTS ? [...failing, ...rest].slice(0, STORED_TESTS) : report.tests;
  const stream = (output: TestReport["stdout"]) => ({
    text: clip(output.text, STORED_OUTPUT_CHARS),
    truncated: output.truncated || output.text.length > STORED_OUTPUT_CHARS,
  });
  return {
    ...report,
    ...(report.outcomeMessage ? { outcomeMessage: clip(report.outcomeMessage, STORED_MESSAGE_CHARS) } : {}),
    tests: kept.map((test) =>
      test.message === undefined ? test : { ...test, message: clip(test.message, STORED_MESSAGE_CHARS) },
    ),
    stdout: stream(report.stdout),
    stderr: stream(report.stderr),
  };
}

/**
 * Whether the model is told its run_tests call failed. Failing tests are not a failed call:
 * the tool did its job and the report says which tests failed. Only a run that could not
 * happen (bad input, a file that does not load) or a crashed sandbox is an error.
 */
export function isFailedTestRun(report: TestReport): boolean {
  return report.outcome === "error" || report.outcome === "crashed";
}

/** The first line of a person's run as the model reads it in a user message. */
export const PERSON_RUN_AS_MESSAGE = "I ran the tests from the editor:";
/** The separator before a person's run appended to the tool result it follows. */
export const PERSON_RUN_AFTER_RESULT = "\n\n---\nAfter this result, the person ran the tests from the editor:\n";

/**
 * The promise's value, or a rejection with the signal's reason as soon as it aborts (the
 * promise is left to settle on its own: a sandbox run ends within its time limit anyway).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
