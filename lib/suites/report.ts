import type { SuiteResult, SuiteRunStatus } from "./types";

/**
 * pass@k, the unbiased estimator of Chen et al. 2021 ("Evaluating Large Language Models
 * Trained on Code", the HumanEval paper, eq. 1): with n samples of a task of which c pass,
 * 1 − C(n−c, k) / C(n, k), computed as a product to stay exact for large n. A suite run
 * takes one sample per task and model, so pass@1 of a task is 1 or 0 and a model's pass@1
 * is the mean over its tasks.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (
    !Number.isInteger(n) ||
    !Number.isInteger(c) ||
    !Number.isInteger(k) ||
    n < 1 ||
    k < 1 ||
    c < 0 ||
    c > n ||
    k > n
  ) {
    throw new RangeError(`pass@k needs integers 0 ≤ c ≤ n and 1 ≤ k ≤ n (n=${n}, c=${c}, k=${k})`);
  }
  if (n - c < k) return 1;
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

export interface ModelSummary {
  modelId: string;
  /** tasks graded (passed, failed or error); queued, running or cancelled ones are not counted */
  graded: number;
  passed: number;
  /** mean over graded tasks of pass@1; null before any task is graded */
  passAt1: number | null;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  /** mean time to first token and mean total time of the graded tasks' runs, ms */
  meanFirstTokenMs: number | null;
  meanTotalMs: number | null;
}

export interface SuiteReport {
  models: ModelSummary[];
  /** every result counted once: how far the run is */
  progress: { done: number; total: number };
  total: Omit<ModelSummary, "modelId">;
}

const GRADED: ReadonlySet<SuiteResult["status"]> = new Set(["passed", "failed", "error"]);
const FINISHED: ReadonlySet<SuiteResult["status"]> = new Set(["passed", "failed", "error", "cancelled"]);

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function summarize(results: readonly SuiteResult[]): Omit<ModelSummary, "modelId"> {
  const graded = results.filter((result) => GRADED.has(result.status));
  const passed = graded.filter((result) => result.status === "passed").length;
  const sum = (pick: (result: SuiteResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  return {
    graded: graded.length,
    passed,
    passAt1:
      graded.length === 0 ? null : mean(graded.map((result) => passAtK(1, result.status === "passed" ? 1 : 0, 1))),
    inputTokens: sum((result) => result.inputTokens),
    outputTokens: sum((result) => result.outputTokens),
    reasoningTokens: sum((result) => result.reasoningTokens),
    costUsd: sum((result) => result.costUsd),
    meanFirstTokenMs: mean(graded.flatMap((result) => (result.firstTokenMs === null ? [] : [result.firstTokenMs]))),
    meanTotalMs: mean(graded.flatMap((result) => (result.totalMs === null ? [] : [result.totalMs]))),
  };
}

/** Per model (in `modelIds` order) and in total: pass@1, tokens, cost and latency. */
export function buildSuiteReport(modelIds: readonly string[], results: readonly SuiteResult[]): SuiteReport {
  return {
    models: modelIds.map((modelId) => ({
      modelId,
      ...summarize(results.filter((result) => result.modelId === modelId)),
    })),
    progress: { done: results.filter((result) => FINISHED.has(result.status)).length, total: results.length },
    total: summarize(results),
  };
}

/** A task's result before it starts: status `queued`, every count 0, nothing measured yet. */
export function queuedResult(taskId: string, modelId: string): SuiteResult {
  return {
    taskId,
    modelId,
    status: "queued",
    sessionId: null,
    runStatus: null,
    message: null,
    testsPassed: 0,
    testsTotal: 0,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    firstTokenMs: null,
    totalMs: null,
  };
}

/**
 * The results of a suite run as they stand: once the run has ended (`done`, `cancelled`,
 * `failed`), a task still `queued`, `running` or `grading` never will finish, so it reads
 * as `cancelled`, with a message for the server restart that ended a `failed` run (the
 * restart marks only the run as failed, and its page showed those tasks running forever).
 * A running suite run's results are returned as they are. Pure.
 */
export function settleResults(status: SuiteRunStatus, results: readonly SuiteResult[]): SuiteResult[] {
  if (status === "running") return [...results];
  return results.map((result) =>
    FINISHED.has(result.status)
      ? result
      : {
          ...result,
          status: "cancelled",
          message:
            result.message ??
            (status === "failed" ? "The server restarted before this task finished." : "Stopped before it finished."),
        },
  );
}
