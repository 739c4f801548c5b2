/** What crosses the wire about comparisons: one task run on 2–4 models, side by side. */
import type { Difference, ModelRunStats } from "@/lib/compare/stats";
import type { StepNode } from "@/lib/steps/types";
import type { RunView, SessionSummary } from "./sessions";

/** POST /api/comparisons: `modelIds` are 2–4 distinct ids (lib/compare/limits.ts). */
export interface CreateComparisonBody {
  task: string;
  modelIds: string[];
  maxTurns?: number;
}

/** One model's side of a comparison: its session, the branch on screen, its latest run and the numbers. */
export interface ComparisonEntry {
  session: SessionSummary;
  /** the branch on screen, task first */
  path: StepNode[];
  /** the session's latest run, null before one started */
  run: RunView | null;
  stats: ModelRunStats;
}

export interface Comparison {
  id: string;
  task: string;
  createdAt: string;
  entries: ComparisonEntry[];
}

/** A comparison as the API and the page show it: each entry with its model's label and provider group. */
export interface ComparisonView extends Omit<Comparison, "entries"> {
  entries: (ComparisonEntry & { label: string; group: string })[];
}

/** GET /api/comparisons/:id */
export interface ComparisonResponse {
  comparison: ComparisonView;
  differences: Difference[];
}
