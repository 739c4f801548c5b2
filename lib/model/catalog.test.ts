import { describe, expect, it } from "vitest";
import {
  costUsd,
  findModel,
  formatReasoning,
  formatTokens,
  formatUsd,
  MODELS,
  OFFLINE_DEMO_MODEL_ID,
  priceCost,
} from "./catalog";

describe("MODELS", () => {
  it("lists the MiniMax-M2 family and the offline demo, with unique ids", () => {
    expect(MODELS.map((m) => m.id)).toEqual([
      "MiniMax-M2",
      "MiniMax-M2-Stable",
      "MiniMax-M2.1",
      "MiniMax-M2.5",
      "MiniMax-M2.7",
      "MiniMax-M2.7-highspeed",
      "MiniMax-M3",
      OFFLINE_DEMO_MODEL_ID,
    ]);
    for (const model of MODELS) expect(model.contextTokens).toBe(model.id === "MiniMax-M3" ? 1_000_000 : 204_800);
  });

  it("labels the offline demo as scripted and free", () => {
    const demo = findModel(OFFLINE_DEMO_MODEL_ID);
    expect(demo).toMatchObject({
      provider: "offline",
      label: "Offline demo (scripted)",
      priceUsdPerMTok: { input: 0, output: 0 },
    });
    expect(demo?.note).toMatch(/not a real model/i);
    expect(findModel("gpt-unknown")).toBeUndefined();
  });
});

describe("costUsd", () => {
  it("bills input and output (reasoning included) per million tokens", () => {
    expect(costUsd("MiniMax-M2", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(1.5);
    expect(costUsd("MiniMax-M2.7-highspeed", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(3.0);
    expect(costUsd("MiniMax-M2", { inputTokens: 767, outputTokens: 172 })).toBeCloseTo(
      (767 * 0.3 + 172 * 1.2) / 1e6,
      12,
    );
  });

  it("bills cached input at the cache price, out of the input total", () => {
    // §5 sample: 767 prompt tokens, 443 of them cached
    const expected = ((767 - 443) * 0.3 + 443 * 0.03 + 172 * 1.2) / 1e6;
    expect(costUsd("MiniMax-M2", { inputTokens: 767, outputTokens: 172, cacheReadTokens: 443 })).toBeCloseTo(
      expected,
      12,
    );
    expect(
      costUsd("MiniMax-M2.7", { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000 }),
    ).toBeCloseTo(0.06);
    expect(costUsd("MiniMax-M2", { inputTokens: 1_000_000, outputTokens: 0, cacheWriteTokens: 1_000_000 })).toBeCloseTo(
      0.375,
    );
  });

  it("bills MiniMax-M3 at its own price, and a prompt above 512K tokens at twice every rate", () => {
    expect(costUsd("MiniMax-M3", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(2 * (0.6 + 2.4));
    expect(costUsd("MiniMax-M3", { inputTokens: 512_000, outputTokens: 1_000 })).toBeCloseTo(
      (512_000 * 0.6 + 1_000 * 2.4) / 1e6,
      12,
    );
    expect(costUsd("MiniMax-M3", { inputTokens: 100_000, outputTokens: 0, cacheReadTokens: 100_000 })).toBeCloseTo(
      0.012,
      12,
    );
  });

  it("a step's share of a long-context call is billed at the call's tier", () => {
    // the output share of a step whose turn's prompt was 600K tokens: twice the rate
    expect(costUsd("MiniMax-M3", { inputTokens: 0, outputTokens: 1_000_000, callInputTokens: 600_000 })).toBeCloseTo(
      4.8,
    );
  });

  it("priceCost is null without a price", () => {
    expect(priceCost(null, { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(priceCost({ input: 2, output: 8 }, { inputTokens: 500_000, outputTokens: 250_000 })).toBeCloseTo(3);
  });

  it("is zero for the offline demo and null for an unknown model", () => {
    expect(costUsd(OFFLINE_DEMO_MODEL_ID, { inputTokens: 5_000, outputTokens: 5_000, cacheReadTokens: 100 })).toBe(0);
    expect(costUsd("nope", { inputTokens: 1, outputTokens: 1 })).toBeNull();
  });
});

describe("formatUsd", () => {
  it.each([
    [null, "—"],
    [0, "$0"],
    [0.0012, "$0.0012"],
    [0.001234, "$0.0012"],
    [0.05, "$0.050"],
    [0.5, "$0.50"],
    [1.234, "$1.23"],
    [12, "$12.00"],
    [0.00004, "<$0.0001"],
  ])("%s → %s", (usd, expected) => {
    expect(formatUsd(usd)).toBe(expected);
  });
});

describe("formatTokens", () => {
  it.each([
    [null, "—"],
    [0, "0"],
    [950, "950"],
    [1_000, "1k"],
    [12_345, "12.3k"],
    [204_800, "205k"],
    [999_600, "1M"],
    [1_234_567, "1.2M"],
  ])("%s → %s", (tokens, expected) => {
    expect(formatTokens(tokens)).toBe(expected);
  });
});

describe("formatReasoning", () => {
  it("marks an estimate with ~ and says so", () => {
    expect(formatReasoning(1234, true)).toBe("~1.2k reasoning (estimated)");
    expect(formatReasoning(1234, false)).toBe("1.2k reasoning");
    expect(formatReasoning(80, null)).toBe("80 reasoning");
  });
});
