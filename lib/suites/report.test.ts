import { describe, expect, it } from "vitest";
import { buildSuiteReport, passAtK, queuedResult, settleResults } from "./report";
import type { SuiteResult } from "./types";

describe("passAtK", () => {
  it("matches the HumanEval paper's estimator on hand-computed values", () => {
    expect(passAtK(1, 1, 1)).toBe(1);
    expect(passAtK(1, 0, 1)).toBe(0);
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    // 1 − C(7,5)/C(10,5) = 1 − 21/252
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
    expect(passAtK(10, 8, 5)).toBe(1);
  });

  it("refuses impossible counts", () => {
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
    expect(() => passAtK(0, 0, 1)).toThrow(RangeError);
  });
});

const result = (fields: Partial<SuiteResult> & Pick<SuiteResult, "taskId" | "modelId" | "status">): SuiteResult => ({
  ...queuedResult(fields.taskId, fields.modelId),
  ...fields,
});

describe("buildSuiteReport", () => {
  it("gives pass@1, tokens, cost and latency per model and in total", () => {
    const results = [
      result({
        taskId: "a",
        modelId: "m1",
        status: "passed",
        inputTokens: 100,
        outputTokens: 40,
        reasoningTokens: 30,
        costUsd: 0.01,
        firstTokenMs: 100,
        totalMs: 1000,
      }),
      result({
        taskId: "b",
        modelId: "m1",
        status: "failed",
        inputTokens: 200,
        outputTokens: 60,
        reasoningTokens: 10,
        costUsd: 0.02,
        firstTokenMs: 300,
        totalMs: 3000,
      }),
      result({
        taskId: "c",
        modelId: "m1",
        status: "passed",
        inputTokens: 300,
        outputTokens: 50,
        costUsd: 0.03,
        firstTokenMs: 200,
        totalMs: 2000,
      }),
      result({ taskId: "a", modelId: "m2", status: "error", message: "boom" }),
      result({ taskId: "b", modelId: "m2", status: "running" }),
      result({ taskId: "c", modelId: "m2", status: "queued" }),
    ];
    const report = buildSuiteReport(["m1", "m2"], results);
    expect(report.models[0]?.costUsd).toBeCloseTo(0.06, 12);
    expect({ ...report.models[0], costUsd: 0 }).toEqual({
      modelId: "m1",
      graded: 3,
      passed: 2,
      passAt1: 2 / 3,
      inputTokens: 600,
      outputTokens: 150,
      reasoningTokens: 40,
      costUsd: 0,
      meanFirstTokenMs: 200,
      meanTotalMs: 2000,
    });
    // an error counts as a failed sample; running and queued tasks are not graded yet
    expect(report.models[1]).toMatchObject({ modelId: "m2", graded: 1, passed: 0, passAt1: 0, meanTotalMs: null });
    expect(report.progress).toEqual({ done: 4, total: 6 });
    expect(report.total).toMatchObject({ graded: 4, passed: 2, passAt1: 0.5 });
  });

  it("has no pass@1 before anything is graded", () => {
    expect(
      buildSuiteReport(["m"], [result({ taskId: "a", modelId: "m", status: "queued" })]).models[0]?.passAt1,
    ).toBeNull();
  });
});

describe("settleResults", () => {
  const results: SuiteResult[] = [
    { ...queuedResult("a", "m"), status: "passed" },
    { ...queuedResult("b", "m"), status: "running", sessionId: "s" },
    { ...queuedResult("c", "m"), status: "grading" },
    queuedResult("d", "m"),
  ];

  it("leaves a running suite run's results as they are", () => {
    expect(settleResults("running", results)).toEqual(results);
  });

  it("an ended run's unfinished tasks read as cancelled, saying why; finished ones stay", () => {
    const settled = settleResults("failed", results);
    expect(settled.map((result) => result.status)).toEqual(["passed", "cancelled", "cancelled", "cancelled"]);
    expect(settled[1]).toMatchObject({ sessionId: "s", message: "The server restarted before this task finished." });
    expect(buildSuiteReport(["m"], settled).progress).toEqual({ done: 4, total: 4 });
    expect(settleResults("cancelled", results)[3]?.message).toBe("Stopped before it finished.");
  });
});
