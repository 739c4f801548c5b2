/**
 * Task suites: tasks with a prompt, optional starting files and hidden tests the model never
 * sees. A suite run gives every task to every chosen model as a session of its own, grades
 * the session's files with the hidden tests in the sandbox, and reports pass@1, tokens,
 * cost and latency (lib/suites/report.ts).
 */

export type SuiteLanguage = "python" | "typescript";

export interface SuiteTask {
  /** unique in its suite, e.g. "py/is_palindrome" or "HumanEval/0" */
  id: string;
  title: string;
  language: SuiteLanguage;
  /** what the model is asked: names the file and the function to write */
  prompt: string;
  /** the project the session starts from (path → content) */
  files?: Record<string, string>;
  /** hidden test files (path → content), laid over the session's files when grading */
  tests: Record<string, string>;
}

export interface Suite {
  id: string;
  name: string;
  tasks: SuiteTask[];
}

/** One task on one model, as the suite run records it. */
export interface SuiteResult {
  taskId: string;
  modelId: string;
  /** queued → running (the session's run) → grading → passed | failed | error; cancelled when stopped first */
  status: "queued" | "running" | "grading" | "passed" | "failed" | "error" | "cancelled";
  sessionId: string | null;
  /** how the session's run ended: done, failed, cancelled */
  runStatus: string | null;
  /** why it is `error`, or why the run failed */
  message: string | null;
  testsPassed: number;
  testsTotal: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  /** from the run's start to its first streamed token, ms */
  firstTokenMs: number | null;
  /** from the run's start to its end, ms */
  totalMs: number | null;
}

export const SUITE_RUN_STATUSES = ["running", "done", "cancelled", "failed"] as const;
export type SuiteRunStatus = (typeof SUITE_RUN_STATUSES)[number];
