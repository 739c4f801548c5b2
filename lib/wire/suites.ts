/** What crosses the wire about suite runs: a set of coding tasks run on 1–4 models and graded by hidden tests. */
import type { SuiteReport } from "@/lib/suites/report";
import type { SuiteResult, SuiteRunStatus, SuiteTask } from "@/lib/suites/types";

/** A suite run as the API and the page see it (hidden tests stay on the server). */
export interface SuiteRunView {
  id: string;
  suiteName: string;
  modelIds: string[];
  concurrency: number;
  status: SuiteRunStatus;
  tasks: { id: string; title: string; language: SuiteTask["language"] }[];
  results: SuiteResult[];
  createdAt: string;
  finishedAt: string | null;
  /** how many times an instance took it over from a server that stopped (kill -9, a restart) and resumed it */
  resumeCount: number;
  /** why it ended `failed` (it could not be resumed); null otherwise, and for suite runs from before this field */
  errorMessage: string | null;
}

/** A suite run with its report, as POST /api/suite-runs, GET /api/suite-runs/:id and its cancel answer. */
export interface SuiteRunResponse {
  suiteRun: SuiteRunView;
  report: SuiteReport;
}

/** A task sent inline (its title may be left out): files and hidden tests as path → content. */
export type SuiteTaskInput = Omit<SuiteTask, "title"> & { title?: string };

/** POST /api/suite-runs: the built-in suite, JSONL in HumanEval's or MBPP's layout, or tasks; 1–4 models. */
export interface StartSuiteRunBody {
  suite:
    | "builtin"
    | { name: string; jsonl: string; format?: "humaneval" | "mbpp" }
    | { name: string; tasks: SuiteTaskInput[] };
  modelIds: string[];
  concurrency?: number;
  taskIds?: string[];
}
