/**
 * The sandbox's vocabulary: what a caller asks for (`RunTestsInput`) and what it gets back
 * (`TestReport`). Shared by the pool (main thread), the report builder and the tool
 * definition; the worker speaks the `WorkerMessage` protocol below.
 */

export type SandboxLanguage = "python" | "typescript" | "javascript";

/** Limits for one run. All optional on input; `resolveLimits` fills in the defaults. */
export interface SandboxLimits {
  /** wall time of the whole run, from the job reaching a warm worker to its last result, in ms */
  timeMs: number;
  /** the interpreter's memory (Pyodide's WASM heap; QuickJS's runtime heap), in bytes */
  memoryBytes: number;
  /** stdout + stderr kept, in bytes (UTF-8); reaching it stops the run */
  outputBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeMs: 10_000,
  memoryBytes: 256 * 1024 * 1024,
  outputBytes: 1024 * 1024,
};

export interface RunTestsInput {
  /** the project: path relative to the project root → file content */
  files: Record<string, string>;
  /** which interpreter; "auto" (default) decides from the test files present */
  language?: SandboxLanguage | "auto";
  /** run only these test files (project-relative paths); default: every test file */
  paths?: string[];
  limits?: Partial<SandboxLimits>;
}

export type TestStatus = "pass" | "fail" | "error" | "skip";

export interface TestResult {
  /** e.g. `TestStack::test_pop[2-3]` (Python) or `Stack > pop > returns the last item` (JS) */
  name: string;
  /** project-relative path of the test file */
  file: string;
  /** fail = an assertion failed; error = the test could not run or raised something else */
  status: TestStatus;
  /** why it failed or was skipped: assertion message with compared values, short traceback */
  message?: string;
  durationMs: number;
}

/**
 * How the run ended. "completed" means the runner got through every selected test (some may
 * have failed); the others say which limit stopped it, or that nothing could run.
 */
export type RunOutcome =
  | "completed"
  | "timeout"
  | "memory"
  | "output_limit"
  | "no_tests"
  /** the run could not start: bad input, or a test file that does not load (syntax error) */
  | "error"
  /** the sandbox itself failed (worker crashed); not the code's fault */
  | "crashed";

export interface CapturedOutput {
  text: string;
  /** true when the stream held more than the output cap and the rest was dropped */
  truncated: boolean;
}

export interface TestReport {
  language: SandboxLanguage;
  outcome: RunOutcome;
  /** a sentence for people and models when outcome isn't "completed" (which limit, where) */
  outcomeMessage?: string;
  tests: TestResult[];
  counts: { passed: number; failed: number; errors: number; skipped: number; total: number };
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  /** wall time of the run itself (not the wait for a warm worker), in ms */
  durationMs: number;
  /**
   * the sandbox's memory when the run ended, in bytes: the interpreter's WASM memory (which
   * only grows, so this is its peak) plus the worker's JS heap; absent when the worker was
   * terminated before it could say (a limit, a crash)
   */
  memoryBytes?: number;
  /** files the runner loaded as test files, project-relative */
  testFiles: string[];
  limits: SandboxLimits;
}

/** One test's start or end, as the runner inside the interpreter reports it. */
export type RunnerEvent =
  | { type: "test_start"; name: string; file: string }
  | { type: "test_end"; name: string; file: string; status: TestStatus; message?: string; durationMs: number }
  /** a file that could not be collected (import error, syntax error) */
  | { type: "collect_error"; file: string; message: string };

/** What a worker posts to the pool. */
export type WorkerMessage =
  /** networkAttempts: connections the worker's network guard refused so far */
  | { type: "ready"; networkAttempts: number }
  | { type: "event"; event: RunnerEvent }
  | { type: "output"; stream: "stdout" | "stderr"; text: string }
  /** the interpreter hit a limit it enforces itself (output cap, memory) */
  | { type: "limit"; kind: "memory"; message: string }
  /** stream: the one whose write crossed the cap */
  | { type: "limit"; kind: "output_limit"; stream: "stdout" | "stderr"; message: string }
  /** memoryBytes: the interpreter's WASM memory (its peak: it never shrinks) + the worker's JS heap */
  | { type: "done"; error?: string; networkAttempts: number; memoryBytes: number }
  | { type: "failed"; message: string };

/** What the pool posts to a warm worker: exactly one job. */
export interface WorkerJob {
  type: "run";
  files: Record<string, string>;
  testFiles: string[];
  limits: SandboxLimits;
}

/**
 * The CPU priority of the sandbox host, all its threads (Linux; elsewhere ignored): a
 * niceness 0–19, or "idle" — Linux's SCHED_IDLE policy (sched(7)), set through util-linux's
 * `chrt`, with niceness 19 beneath it where chrt is missing. A thread that wakes at normal
 * priority preempts an idle-policy one at once; a niced one it may have to wait for until
 * that one's time slice ends (EEVDF protects a running slice), on every wake-up of every
 * hop a streamed delta takes.
 */
export type SandboxPriority = number | "idle";
