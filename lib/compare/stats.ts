/**
 * What Compare measures per model, and how the models differ — small pure functions over
 * a session's branch and its run, shared by the API (GET /api/comparisons/:id) and the page.
 */

import type { RunStatus, StepNode } from "@/lib/steps/types";
import type { RunView } from "@/lib/wire/sessions";

/** Pass/fail of the branch's latest test run (a run_tests result or a person's Run). */
export interface TestTally {
  passed: number;
  failed: number;
  total: number;
}

export interface ModelRunStats {
  status: RunStatus | null;
  /** assistant turns the model took on the branch */
  turns: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** reasoningTokens includes estimates from thinking text (the route reports only output tokens) */
  reasoningEstimated: boolean;
  /** USD; null when the model has no known price */
  costUsd: number | null;
  /** from the run's start to the model's first token, ms */
  timeToFirstTokenMs: number | null;
  /** from the run's start to its end, ms; null while it runs */
  totalMs: number | null;
  /** null until the branch has a test run (shown as "—") */
  tests: TestTally | null;
}

const ms = (from: string | null | undefined, to: string | null | undefined) =>
  from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null;

const isModelStep = (step: StepNode) =>
  step.origin === "model" && (step.kind === "thinking" || step.kind === "text" || step.kind === "tool_call");

/**
 * The tests seam: the latest step on the branch carrying a test report (the run_tests
 * tool's result or a person's Run, `providerData.testReport`), as pass/fail counts.
 */
export function latestTestTally(path: readonly StepNode[]): TestTally | null {
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const counts = path[i]?.providerData?.testReport?.counts;
    if (counts) return { passed: counts.passed, failed: counts.failed + counts.errors, total: counts.total };
  }
  return null;
}

/**
 * One model's numbers: tokens and cost from its run's totals, turns and timings from the
 * branch the run produced (`path`, task first). `priced` false → cost unknown (null).
 */
export function runStats(path: readonly StepNode[], run: RunView | null, priced: boolean): ModelRunStats {
  const produced = run ? path.filter((step) => step.runId === run.id) : [];
  const firstModelStep = produced.find(isModelStep);
  const turns = new Set(produced.filter(isModelStep).map((step) => step.turn)).size;
  const start = run?.startedAt ?? run?.createdAt ?? null;
  return {
    status: run?.status ?? null,
    turns,
    inputTokens: run?.inputTokens ?? 0,
    outputTokens: run?.outputTokens ?? 0,
    reasoningTokens: run?.reasoningTokens ?? 0,
    reasoningEstimated: run?.reasoningEstimated ?? false,
    costUsd: priced ? (run?.costUsd ?? 0) : null,
    timeToFirstTokenMs: ms(start, firstModelStep?.firstTokenAt),
    totalMs: ms(start, run?.finishedAt),
    tests: latestTestTally(path),
  };
}

/** (value − reference) / reference; null when either is unknown or the reference is 0. */
export function relativeChange(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null || reference === 0) return null;
  return (value - reference) / reference;
}

/** "−35 %", "+12 %", "±0 %" (a typographic minus, whole percent, as the seed writes it). */
export function formatChange(ratio: number): string {
  const percent = Math.round(ratio * 100);
  if (percent === 0) return "±0 %";
  return `${percent < 0 ? "−" : "+"}${Math.abs(percent)} %`;
}

export interface ComparedModel {
  label: string;
  stats: ModelRunStats;
}

export interface Difference {
  label: string;
  versus: string;
  /** e.g. ["−35 % tokens", "−80 % cost", "+5 % total time"] */
  changes: string[];
  /** "−35 % tokens, −80 % cost vs gpt-4o" */
  sentence: string;
}

const METRICS: { name: string; value: (stats: ModelRunStats) => number | null }[] = [
  { name: "tokens", value: (s) => s.inputTokens + s.outputTokens || null },
  { name: "output tokens", value: (s) => s.outputTokens || null },
  { name: "cost", value: (s) => s.costUsd },
  { name: "time to first token", value: (s) => s.timeToFirstTokenMs },
  { name: "total time", value: (s) => s.totalMs },
  { name: "turns", value: (s) => s.turns || null },
];

/** How a run that ended without finishing its task ended, for a sentence ("failed"); null for any other status. */
function unfinished(status: RunStatus | null): string | null {
  if (status === "failed") return "failed";
  if (status === "cancelled") return "was stopped";
  return null;
}

/**
 * How each model differs from the reference model (`referenceIndex`, default the first):
 * relative change per metric, skipping what either side doesn't know (a run still going
 * has no total time; a model without a price has no cost). Tests compare pass counts
 * when both ran them. The reference itself gets no entry. When either side's run failed
 * or was stopped, its numbers measure a cut-off attempt (a provider that dropped the
 * stream after one turn is not "50 % faster"), so the sentence says so and lists no change.
 */
export function describeDifferences(models: readonly ComparedModel[], referenceIndex = 0): Difference[] {
  const reference = models[referenceIndex];
  if (!reference) return [];
  return models.flatMap((model, index) => {
    if (index === referenceIndex) return [];
    const cutOff = unfinished(model.stats.status) ?? unfinished(reference.stats.status);
    if (cutOff) {
      const whose = unfinished(model.stats.status) ? "its" : `${reference.label}'s`;
      const sentence = `Nothing to compare: ${whose} run ${cutOff}`;
      return [{ label: model.label, versus: reference.label, changes: [], sentence }];
    }
    const changes = METRICS.flatMap(({ name, value }) => {
      const ratio = relativeChange(value(model.stats), value(reference.stats));
      return ratio === null ? [] : [`${formatChange(ratio)} ${name}`];
    });
    const mine = model.stats.tests;
    const theirs = reference.stats.tests;
    if (mine && theirs && mine.total > 0 && theirs.total > 0) {
      changes.push(`${mine.passed}/${mine.total} tests passed (${theirs.passed}/${theirs.total})`);
    }
    const sentence = changes.length
      ? `${changes.join(", ")} vs ${reference.label}`
      : `Nothing to compare with ${reference.label} yet`;
    return [{ label: model.label, versus: reference.label, changes, sentence }];
  });
}
