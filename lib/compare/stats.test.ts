import { describe, expect, it } from "vitest";
import { chain } from "@/lib/steps/fixtures";
import type { RunView } from "@/lib/wire/sessions";
import {
  type ComparedModel,
  describeDifferences,
  formatChange,
  latestTestTally,
  type ModelRunStats,
  relativeChange,
  runStats,
} from "./stats";

const run = (fields: Partial<RunView> = {}): RunView => ({
  id: "run-1",
  sessionId: "session-1",
  fromStepId: "s0",
  modelId: "MiniMax-M2",
  status: "done",
  errorCode: null,
  errorMessage: null,
  inputTokens: 1000,
  outputTokens: 300,
  reasoningTokens: 120,
  reasoningEstimated: true,
  costUsd: 0.00066,
  resumesRunId: null,
  createdAt: "2025-01-01T00:00:00.000Z",
  startedAt: "2025-01-01T00:00:00.000Z",
  finishedAt: "2025-01-01T00:00:09.500Z",
  ...fields,
});

const report = (passed: number, failed: number, errors = 0) =>
  ({ counts: { passed, failed, errors, skipped: 0, total: passed + failed + errors } }) as never;

describe("runStats", () => {
  const path = chain([
    { kind: "task", origin: "human" },
    { kind: "thinking", turn: 1, runId: "run-1", firstTokenAt: "2025-01-01T00:00:01.250Z" },
    { kind: "tool_call", turn: 1, runId: "run-1" },
    { kind: "tool_result", turn: 1, runId: "run-1", providerData: { testReport: report(3, 1) } },
    { kind: "thinking", turn: 2, runId: "run-1" },
    { kind: "text", turn: 2, runId: "run-1" },
  ]);

  it("reads turns, timings and the latest test run from the branch, tokens and cost from the run", () => {
    expect(runStats(path, run(), true)).toEqual({
      status: "done",
      turns: 2,
      inputTokens: 1000,
      outputTokens: 300,
      reasoningTokens: 120,
      reasoningEstimated: true,
      costUsd: 0.00066,
      timeToFirstTokenMs: 1250,
      totalMs: 9500,
      tests: { passed: 3, failed: 1, total: 4 },
    });
  });

  it("a run still going has no total time; an unpriced model no cost; no run, nothing", () => {
    expect(runStats(path, run({ finishedAt: null, status: "running" }), true).totalMs).toBeNull();
    expect(runStats(path, run(), false).costUsd).toBeNull();
    expect(runStats(path.slice(0, 1), null, true)).toMatchObject({
      status: null,
      turns: 0,
      timeToFirstTokenMs: null,
      totalMs: null,
      tests: null,
    });
  });

  it("tests: the latest report wins, errors count as failures, none is null ('—')", () => {
    expect(
      latestTestTally(
        chain([{ providerData: { testReport: report(0, 2) } }, { providerData: { testReport: report(2, 0, 1) } }]),
      ),
    ).toEqual({
      passed: 2,
      failed: 1,
      total: 3,
    });
    expect(latestTestTally(chain([{ kind: "task" }]))).toBeNull();
  });
});

describe("relativeChange and formatChange", () => {
  it.each([
    [65, 100, "−35 %"],
    [112, 100, "+12 %"],
    [100, 100, "±0 %"],
    [1, 3, "−67 %"],
    [250, 100, "+150 %"],
  ])("%s vs %s → %s", (value, reference, text) => {
    expect(formatChange(relativeChange(value, reference) as number)).toBe(text);
  });
  it("is null when a side is unknown or the reference is 0", () => {
    expect(relativeChange(null, 3)).toBeNull();
    expect(relativeChange(3, null)).toBeNull();
    expect(relativeChange(3, 0)).toBeNull();
  });
});

describe("describeDifferences", () => {
  const stats = (fields: Partial<ModelRunStats>): ModelRunStats => ({
    status: "done",
    turns: 4,
    inputTokens: 800,
    outputTokens: 200,
    reasoningTokens: 0,
    reasoningEstimated: false,
    costUsd: 0.01,
    timeToFirstTokenMs: 1000,
    totalMs: 10_000,
    tests: null,
    ...fields,
  });
  const models: ComparedModel[] = [
    { label: "MiniMax-M2", stats: stats({ inputTokens: 500, outputTokens: 150, costUsd: 0.0003, totalMs: 8000 }) },
    { label: "claude-sonnet-4-5", stats: stats({ tests: { passed: 2, failed: 0, total: 2 } }) },
  ];

  it("states each model's differences from the reference, as the seed does", () => {
    expect(describeDifferences(models, 1)).toEqual([
      {
        label: "MiniMax-M2",
        versus: "claude-sonnet-4-5",
        changes: [
          "−35 % tokens",
          "−25 % output tokens",
          "−97 % cost",
          "±0 % time to first token",
          "−20 % total time",
          "±0 % turns",
        ],
        sentence:
          "−35 % tokens, −25 % output tokens, −97 % cost, ±0 % time to first token, −20 % total time, ±0 % turns vs claude-sonnet-4-5",
      },
    ]);
  });

  it("skips what a side doesn't know, compares tests when both ran them, and the reference gets no entry", () => {
    const [first] = describeDifferences(
      [
        { label: "A", stats: stats({ costUsd: null, totalMs: null, tests: { passed: 1, failed: 1, total: 2 } }) },
        { label: "B", stats: stats({ tests: { passed: 2, failed: 0, total: 2 } }) },
      ],
      1,
    );
    expect(first?.changes).toEqual([
      "±0 % tokens",
      "±0 % output tokens",
      "±0 % time to first token",
      "±0 % turns",
      "1/2 tests passed (2/2)",
    ]);
    expect(describeDifferences(models, 0).map((d) => d.label)).toEqual(["claude-sonnet-4-5"]);
    expect(describeDifferences([], 0)).toEqual([]);
    expect(
      describeDifferences([
        {
          label: "A",
          stats: stats({
            status: null,
            inputTokens: 0,
            outputTokens: 0,
            costUsd: null,
            timeToFirstTokenMs: null,
            totalMs: null,
            turns: 0,
          }),
        },
        models[0] as ComparedModel,
      ])[0]?.sentence,
    ).toBe("Nothing to compare with A yet");
  });

  it("compares no numbers with a run that failed or was stopped, and says which", () => {
    const failed = { label: "MiniMax-M2", stats: stats({ status: "failed", turns: 1, totalMs: 1300 }) };
    const done = { label: "claude-sonnet-4-5", stats: stats({ turns: 2, totalMs: 2000 }) };
    expect(describeDifferences([failed, done])).toEqual([
      {
        label: "claude-sonnet-4-5",
        versus: "MiniMax-M2",
        changes: [],
        sentence: "Nothing to compare: MiniMax-M2's run failed",
      },
    ]);
    const stopped = { label: "gpt-4o", stats: stats({ status: "cancelled" }) };
    expect(describeDifferences([done, stopped])[0]?.sentence).toBe("Nothing to compare: its run was stopped");
  });
});
