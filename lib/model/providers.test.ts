import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { findOffered, offeredModels, providerOfId } from "./providers";

describe("offeredModels", () => {
  it("with nothing set: every group is listed, only the offline demo runs, and each disabled entry names its variable", () => {
    const models = offeredModels(parseEnv({}));
    expect([...new Set(models.map((m) => m.group))]).toEqual([
      "MiniMax",
      "OpenAI",
      "Anthropic",
      "OpenAI-compatible",
      "Offline",
    ]);
    expect(models.filter((m) => m.available).map((m) => m.spec.id)).toEqual(["offline-demo"]);
    expect(findOffered(parseEnv({}), "MiniMax-M3")?.enabledBy).toBe("MINIMAX_API_KEY");
    expect(findOffered(parseEnv({}), "openai/gpt-4o")?.enabledBy).toBe("OPENAI_API_KEY");
    expect(findOffered(parseEnv({}), "anthropic/claude-sonnet-4-5")?.enabledBy).toBe("ANTHROPIC_API_KEY");
    expect(findOffered(parseEnv({}), "openai-compatible")?.enabledBy).toBe(
      "OPENAI_COMPATIBLE_BASE_URL and OPENAI_COMPATIBLE_MODELS",
    );
  });

  it("a key turns its provider's models on, with known prices, and a listed price overrides", () => {
    const e = parseEnv({ OPENAI_API_KEY: "k", OPENAI_MODELS: "gpt-4o, o4-mini=1/4 ,my-finetune" });
    const openai = offeredModels(e).filter((m) => m.group === "OpenAI");
    expect(openai.map((m) => [m.spec.id, m.available, m.reasons])).toEqual([
      ["openai/gpt-4o", true, false],
      ["openai/o4-mini", true, true],
      ["openai/my-finetune", true, false],
    ]);
    expect(openai[0]?.spec.priceUsdPerMTok).toMatchObject({ input: 2.5, output: 10 });
    expect(openai[1]?.spec.priceUsdPerMTok).toEqual({ input: 1, output: 4 });
    expect(openai[2]?.spec.priceUsdPerMTok).toBeNull();
    expect(openai[2]?.spec.note).toMatch(/my-finetune=input\/output/);
    expect(openai[0]?.spec.apiModelId).toBe("gpt-4o");
  });

  it("Anthropic defaults to two Claude models that think on request", () => {
    const anthropic = offeredModels(parseEnv({ ANTHROPIC_API_KEY: "k" })).filter((m) => m.group === "Anthropic");
    expect(anthropic.map((m) => m.spec.id)).toEqual(["anthropic/claude-sonnet-4-5", "anthropic/claude-haiku-4-5"]);
    expect(anthropic.every((m) => m.available && m.spec.thinkingOnRequest)).toBe(true);
  });

  it("an OpenAI-compatible endpoint needs a URL and a model list, and is grouped under its name", () => {
    const e = parseEnv({
      OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:8000/v1",
      OPENAI_COMPATIBLE_MODELS: "qwen3-coder=0.2/0.8",
      OPENAI_COMPATIBLE_NAME: "Local vLLM",
    });
    expect(findOffered(e, "openai-compatible/qwen3-coder")).toMatchObject({
      group: "Local vLLM",
      available: true,
      spec: { apiModelId: "qwen3-coder", priceUsdPerMTok: { input: 0.2, output: 0.8 } },
    });
    expect(findOffered(e, "openai-compatible")).toBeUndefined();
  });

  it("MiniMax-M3 has a 1M context, its own price, and asks for thinking", () => {
    const m3 = findOffered(parseEnv({ MINIMAX_API_KEY: "k" }), "MiniMax-M3");
    expect(m3).toMatchObject({ available: true, spec: { contextTokens: 1_000_000, thinkingOnRequest: true } });
    expect(m3?.spec.priceUsdPerMTok).toMatchObject({ input: 0.6, output: 2.4 });
  });
});

describe("model lists in the environment", () => {
  it("refuses a malformed price, naming the variable", () => {
    expect(() => parseEnv({ OPENAI_MODELS: "gpt-4o=cheap" })).toThrow(/OPENAI_MODELS.*id=input\/output/s);
    expect(() => parseEnv({ ANTHROPIC_MODELS: "=1/2" })).toThrow(/ANTHROPIC_MODELS/);
  });
  it("refuses a base URL that is not a URL", () => {
    expect(() => parseEnv({ OPENAI_COMPATIBLE_BASE_URL: "not a url" })).toThrow(/OPENAI_COMPATIBLE_BASE_URL/);
  });
});

describe("providerOfId", () => {
  it.each([
    ["MiniMax-M2", "minimax"],
    ["MiniMax-M3", "minimax"],
    ["offline-demo", "offline"],
    ["openai/gpt-4o", "openai"],
    ["anthropic/claude-x", "anthropic"],
    ["openai-compatible/llama", "openai-compatible"],
    ["mistral/large", undefined],
    ["gpt-4o", undefined],
  ])("%s → %s", (id, provider) => expect(providerOfId(id)).toBe(provider));
});
