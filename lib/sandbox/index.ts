/**
 * Running a project's tests in a sandbox: the API the run loop (the `run_tests` tool) and
 * the editor's Run button call. See docs/sandbox.md for what runs where and what is isolated.
 *
 *   const report = await runTests({ files, language: "auto", paths, limits });
 *   const text = formatTestReport(report);   // the tool result the model reads
 *
 * `runTests` never throws for anything the code or the input did: bad input, no tests,
 * limits and crashes are all reports with an `outcome` and an `outcomeMessage`.
 */

import { processState } from "@/lib/process-state";
import { type Env, env } from "../env";
import { selectTests } from "./files";
import { SandboxPool } from "./pool";
import { buildReport, emptyOutput } from "./report";
import type { RunTestsInput, SandboxLanguage, SandboxLimits, TestReport } from "./types";

export { isJsTestFile, isPythonTestFile } from "./files";
export { type Engine, type PoolOptions, SandboxPool } from "./pool";
export { formatTestReport, summaryLine } from "./report";
export { parseRunTestsInput, RUN_TESTS_TOOL, RUN_TESTS_TOOL_NAME, type RunTestsToolInput } from "./tool";
export * from "./types";

/** The configured limits (SANDBOX_* env vars), each overridable per run within sane bounds. */
export function resolveLimits(
  requested: Partial<SandboxLimits> = {},
  base: SandboxLimits = limitsFromEnv(env()),
): SandboxLimits {
  const pick = (value: number | undefined, fallback: number, min: number, max: number) =>
    value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.round(value)));
  return {
    timeMs: pick(requested.timeMs, base.timeMs, 100, 600_000),
    memoryBytes: pick(requested.memoryBytes, base.memoryBytes, 32 * 1024 * 1024, 4096 * 1024 * 1024),
    outputBytes: pick(requested.outputBytes, base.outputBytes, 1024, 64 * 1024 * 1024),
  };
}

/** SANDBOX_TIME_LIMIT_MS, SANDBOX_MEMORY_MB and SANDBOX_OUTPUT_LIMIT_KB as limits (unset: DEFAULT_LIMITS). */
export function limitsFromEnv(config: Env): SandboxLimits {
  return {
    timeMs: config.SANDBOX_TIME_LIMIT_MS,
    memoryBytes: config.SANDBOX_MEMORY_MB * 1024 * 1024,
    outputBytes: config.SANDBOX_OUTPUT_LIMIT_KB * 1024,
  };
}

/** This process's pool (kept on globalThis so Next's dev reloads don't leak workers). */
export function getSandboxPool(): SandboxPool {
  const state = processState();
  if (!state.sandboxPool) {
    const config = env();
    state.sandboxPool = new SandboxPool({
      warmWorkers: config.SANDBOX_WARM_WORKERS,
      nice: config.SANDBOX_NICE,
      ...(config.SANDBOX_MAX_RUNNING ? { maxRunning: config.SANDBOX_MAX_RUNNING } : {}),
    });
  }
  return state.sandboxPool;
}

/**
 * Loads the warm interpreters in the background at server start (instrumentation.ts), so
 * the first Run tests or run_tests after a start finds them loaded instead of waiting 3-10 s
 * for Pyodide's cold start and memory snapshot; the sandbox host runs at idle priority
 * (SANDBOX_NICE), so this takes only CPU nothing else wants. Nothing with
 * SANDBOX_WARM_WORKERS=0 (a run loads its interpreter itself). A failure is logged: the
 * first run then starts its own worker.
 */
export function warmUpSandboxAtStart(): void {
  if (env().SANDBOX_WARM_WORKERS === 0) return;
  getSandboxPool()
    .warmUp()
    .catch((error: unknown) => console.error("[sandbox] could not load the warm interpreters", error));
}

/** The language a report about input that ran nothing is labelled with: the asked one, or the project's. */
function reportLanguage(input: RunTestsInput): SandboxLanguage {
  if (input.language && input.language !== "auto") return input.language;
  return Object.keys(input.files).some((path) => path.endsWith(".py")) ? "python" : "typescript";
}

/**
 * Runs the project's tests (every test file, or `paths`) in a fresh sandbox and reports
 * per test. `files` maps project-relative paths to contents; the language is chosen from
 * the test files unless given. Resolves in about `limits.timeMs` at most, plus the wait
 * for a free sandbox when `SANDBOX_MAX_RUNNING` runs are already going.
 */
export async function runTests(input: RunTestsInput, pool: SandboxPool = getSandboxPool()): Promise<TestReport> {
  const limits = resolveLimits(input.limits);
  const selection = selectTests(input);
  if (!selection.ok) {
    return buildReport({
      language: reportLanguage(input),
      events: [],
      output: emptyOutput(),
      outcome: "error",
      outcomeMessage: `Nothing ran: ${selection.message}.`,
      durationMs: 0,
      testFiles: [],
      limits,
    });
  }
  const record = await pool.run({
    language: selection.language,
    files: selection.files,
    testFiles: selection.testFiles,
    limits,
  });
  return buildReport(record);
}
