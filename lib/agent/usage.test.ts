import { describe, expect, test } from "vitest";
import { apportionTurnUsage, estimateReasoningTokens, splitProportionally, turnUsageFrom } from "./usage";

describe("splitProportionally", () => {
  test("sums exactly to the total", () => {
    const shares = splitProportionally(100, [1, 1, 1]);
    expect(shares.reduce((a, b) => a + b)).toBe(100);
    expect(shares).toEqual([34, 33, 33]);
  });
  test("zero weights share evenly", () => expect(splitProportionally(4, [0, 0])).toEqual([2, 2]));
  test("no steps, nothing to share", () => expect(splitProportionally(10, [])).toEqual([]));
});

describe("apportionTurnUsage", () => {
  test("input on the first step, output by size, reasoning among thinking steps", () => {
    const shares = apportionTurnUsage(
      [
        { kind: "thinking", size: 300 },
        { kind: "tool_call", size: 100 },
      ],
      { inputTokens: 1000, outputTokens: 120, reasoningTokens: 80, cacheReadTokens: 0 },
    );
    expect(shares).toEqual([
      { inputTokens: 1000, outputTokens: 90, reasoningTokens: 80 },
      { inputTokens: 0, outputTokens: 30, reasoningTokens: 0 },
    ]);
  });

  test("totals are preserved", () => {
    const steps = [
      { kind: "thinking" as const, size: 7 },
      { kind: "text" as const, size: 13 },
      { kind: "thinking" as const, size: 5 },
    ];
    const shares = apportionTurnUsage(steps, {
      inputTokens: 9,
      outputTokens: 101,
      reasoningTokens: 37,
      cacheReadTokens: 0,
    });
    expect(shares.reduce((a, s) => a + s.outputTokens, 0)).toBe(101);
    expect(shares.reduce((a, s) => a + s.reasoningTokens, 0)).toBe(37);
    expect(shares.reduce((a, s) => a + s.inputTokens, 0)).toBe(9);
  });
});

test("turnUsageFrom reads the SDK usage shape, missing numbers as 0", () => {
  expect(
    turnUsageFrom({
      inputTokens: { total: 10, noCache: 8, cacheRead: 2, cacheWrite: undefined },
      outputTokens: { total: 5, text: 3, reasoning: 2 },
    }),
  ).toEqual({ inputTokens: 10, outputTokens: 5, reasoningTokens: 2, reasoningEstimated: false, cacheReadTokens: 2 });
  expect(turnUsageFrom(undefined)).toEqual({
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    reasoningEstimated: false,
    cacheReadTokens: 0,
  });
});

describe("reasoning tokens a route does not report", () => {
  const usage = (reasoning: number | undefined) => ({
    inputTokens: { total: 100, noCache: 100, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: 50, text: undefined, reasoning },
  });

  test("are estimated from the thinking text at 4 characters a token, and flagged", () => {
    expect(turnUsageFrom(usage(undefined), 81)).toMatchObject({ reasoningTokens: 21, reasoningEstimated: true });
  });
  test("a reported 0 with thinking text is not believed: estimated instead", () => {
    expect(turnUsageFrom(usage(0), 40)).toMatchObject({ reasoningTokens: 10, reasoningEstimated: true });
  });
  test("reported reasoning is taken as is", () => {
    expect(turnUsageFrom(usage(17), 400)).toMatchObject({ reasoningTokens: 17, reasoningEstimated: false });
  });
  test("no thinking, no reasoning, nothing estimated", () => {
    expect(turnUsageFrom(usage(undefined), 0)).toMatchObject({ reasoningTokens: 0, reasoningEstimated: false });
  });
  test("the estimate never exceeds the output tokens and is never 0 for some thinking", () => {
    expect(estimateReasoningTokens(10_000, 50)).toBe(50);
    expect(estimateReasoningTokens(1, 50)).toBe(1);
    expect(estimateReasoningTokens(9, undefined)).toBe(3);
  });
});
