/**
 * From what a run produced (runner events, captured output, how it ended) to a
 * `TestReport`, and from a report to the text a model reads as the `run_tests` result.
 * Pure functions; the pool feeds them.
 */
import type {
  CapturedOutput,
  RunnerEvent,
  RunOutcome,
  SandboxLanguage,
  SandboxLimits,
  TestReport,
  TestResult,
} from "./types";

/** Output kept so far for both streams together, against one byte cap. */
export interface OutputBuffer {
  stdout: string;
  stderr: string;
  bytes: number;
  truncated: { stdout: boolean; stderr: boolean };
}

export function emptyOutput(): OutputBuffer {
  return { stdout: "", stderr: "", bytes: 0, truncated: { stdout: false, stderr: false } };
}

const encoder = new TextEncoder();

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  if (text.length * 3 <= maxBytes) return text;
  const { read } = encoder.encodeInto(text, new Uint8Array(maxBytes));
  return text.slice(0, read);
}

/**
 * Appends `text` to one stream while the shared cap allows; returns true when something
 * had to be dropped (the caller stops the run: its output limit was reached).
 */
export function appendOutput(
  buffer: OutputBuffer,
  stream: "stdout" | "stderr",
  text: string,
  capBytes: number,
): boolean {
  const size = encoder.encode(text).length;
  if (buffer.bytes + size <= capBytes) {
    buffer[stream] += text;
    buffer.bytes += size;
    return false;
  }
  const kept = utf8Prefix(text, capBytes - buffer.bytes);
  buffer[stream] += kept;
  buffer.bytes += encoder.encode(kept).length;
  buffer.truncated[stream] = true;
  return true;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
const mebibytes = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;

/** The sentence for a run that a limit stopped; `test` is the test that was running, if known. */
export function limitMessage(outcome: RunOutcome, limits: SandboxLimits, test?: string): string | undefined {
  const where = test ? ` while ${test} was running` : "";
  switch (outcome) {
    case "timeout":
      return `Stopped: the run took longer than its ${seconds(limits.timeMs)} time limit${where} (an infinite loop, or a test far too slow).`;
    case "memory":
      return `Stopped: the code used more than the ${mebibytes(limits.memoryBytes)} memory limit${where}.`;
    case "output_limit":
      return `Stopped: the code printed more than the ${mebibytes(limits.outputBytes)} output limit${where}; the output shown is its beginning.`;
    default:
      return undefined;
  }
}

/**
 * The sentence for an interpreter that died under the code (the worker is discarded after
 * the run anyway). Recursion through C code can exhaust the worker's stack before Python's
 * recursion limit triggers; Pyodide then fails as a whole with V8's RangeError.
 */
export function interpreterFailure(error: string): string {
  if (/Maximum call stack size exceeded/.test(error)) {
    return "Stopped: the code recursed too deeply and exhausted the interpreter's stack (RangeError: Maximum call stack size exceeded).";
  }
  return `The interpreter failed: ${error}`;
}

export interface RunRecord {
  language: SandboxLanguage;
  events: RunnerEvent[];
  output: OutputBuffer;
  outcome: RunOutcome;
  /** for "error"/"crashed": what went wrong; for limits it is derived */
  outcomeMessage?: string;
  durationMs: number;
  memoryBytes?: number;
  testFiles: string[];
  limits: SandboxLimits;
}

/**
 * Folds runner events into per-test results. A test that started and never ended was
 * running when a limit stopped the run: it counts as an error, with the limit as message.
 */
export function buildReport(record: RunRecord): TestReport {
  const tests: TestResult[] = [];
  let running: { name: string; file: string } | undefined;
  for (const event of record.events) {
    if (event.type === "test_start") running = { name: event.name, file: event.file };
    else if (event.type === "test_end") {
      running = undefined;
      tests.push({
        name: event.name,
        file: event.file,
        status: event.status,
        ...(event.message ? { message: event.message } : {}),
        durationMs: event.durationMs,
      });
    } else {
      tests.push({ name: event.file, file: event.file, status: "error", message: event.message, durationMs: 0 });
    }
  }

  let outcome = record.outcome;
  let outcomeMessage = record.outcomeMessage ?? limitMessage(outcome, record.limits, running?.name);
  if (running) {
    tests.push({
      name: running.name,
      file: running.file,
      status: "error",
      message: outcomeMessage ?? "the run ended while this test was running",
      durationMs: 0,
    });
  }
  if (outcome === "completed" && tests.length === 0) {
    outcome = "no_tests";
    outcomeMessage = `no tests found in ${record.testFiles.join(", ")}: write test functions named test_… (Python) or test()/it() calls (JavaScript/TypeScript)`;
  }

  const counts = { passed: 0, failed: 0, errors: 0, skipped: 0, total: tests.length };
  for (const test of tests) {
    if (test.status === "pass") counts.passed++;
    else if (test.status === "fail") counts.failed++;
    else if (test.status === "error") counts.errors++;
    else counts.skipped++;
  }
  const captured = (stream: "stdout" | "stderr"): CapturedOutput => ({
    text: record.output[stream],
    truncated: record.output.truncated[stream],
  });
  return {
    language: record.language,
    outcome,
    ...(outcomeMessage ? { outcomeMessage } : {}),
    tests,
    counts,
    stdout: captured("stdout"),
    stderr: captured("stderr"),
    durationMs: Math.round(record.durationMs),
    ...(record.memoryBytes !== undefined ? { memoryBytes: record.memoryBytes } : {}),
    testFiles: record.testFiles,
    limits: record.limits,
  };
}

const LANGUAGE_LABEL: Record<SandboxLanguage, string> = {
  python: "Python",
  typescript: "TypeScript",
  javascript: "JavaScript",
};

export interface FormatOptions {
  /** per stream: longer output shows its head and tail (default 4000 characters) */
  maxOutputChars?: number;
  /** per failure message (default 2000 characters) */
  maxMessageChars?: number;
  /** passing and skipped tests listed by name, the rest counted (default 50) */
  maxListed?: number;
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil(max * 0.6);
  const tail = max - head;
  return `${text.slice(0, head)}\n… (${text.length - max} characters left out) …\n${text.slice(text.length - tail)}`;
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((line) => (line ? `    ${line}` : line))
    .join("\n");

/** The counts as one line, e.g. "3 passed, 1 failed, 1 error (5 tests, 120 ms)". */
export function summaryLine(report: TestReport): string {
  const { passed, failed, errors, skipped, total } = report.counts;
  const parts = [`${passed} passed`, `${failed} failed`];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  return `${parts.join(", ")} (${total} test${total === 1 ? "" : "s"}, ${report.durationMs} ms)`;
}

/**
 * The report as the text the model reads: one summary line, why the run stopped if a limit
 * stopped it, each failure with its message, the passing tests by name, then the output.
 */
export function formatTestReport(report: TestReport, options: FormatOptions = {}): string {
  const maxOutput = options.maxOutputChars ?? 4000;
  const maxMessage = options.maxMessageChars ?? 2000;
  const maxListed = options.maxListed ?? 50;
  // no test file (none found, or the paths asked for don't exist): "Python tests in : …" read as a glitch
  const files = report.testFiles.length > 0 ? ` in ${report.testFiles.join(", ")}` : "";
  const lines = [`${LANGUAGE_LABEL[report.language]} tests${files}: ${summaryLine(report)}`];
  if (report.outcomeMessage) lines.push(report.outcomeMessage);

  for (const test of report.tests) {
    if (test.status !== "fail" && test.status !== "error") continue;
    lines.push("", `${test.status === "fail" ? "FAILED" : "ERROR"} ${test.file}::${test.name}`);
    if (test.message) lines.push(indent(clip(test.message, maxMessage)));
  }

  const listed = report.tests.filter((test) => test.status === "pass" || test.status === "skip");
  if (listed.length > 0) lines.push("");
  for (const test of listed.slice(0, maxListed)) {
    const reason = test.status === "skip" && test.message ? ` (${test.message})` : "";
    lines.push(`${test.status === "pass" ? "passed" : "skipped"} ${test.file}::${test.name}${reason}`);
  }
  if (listed.length > maxListed) lines.push(`… and ${listed.length - maxListed} more passed or skipped`);

  for (const stream of ["stdout", "stderr"] as const) {
    const output = report[stream];
    if (!output.text) continue;
    const note = output.truncated ? " (cut at the output limit)" : "";
    lines.push("", `${stream}${note}:`, clip(output.text.replace(/\n$/, ""), maxOutput));
  }
  return lines.join("\n");
}
