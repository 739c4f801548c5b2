import { describe, expect, it } from "vitest";
import { PREFILL_CONTINUATION, planTurn, splitFragments, splitWords } from "./plan";

describe("splitWords", () => {
  it("groups words with their trailing whitespace and joins back byte for byte", () => {
    const text = "  one two\nthree   four\n\nfive ";
    expect(splitWords(text, 2)).toEqual(["  one two\n", "three   four\n\n", "five "]);
    expect(splitWords(text, 3).join("")).toBe(text);
    expect(splitWords("", 3)).toEqual([]);
  });
});

describe("splitFragments", () => {
  it("cuts JSON into at least three pieces that join back", () => {
    const json = JSON.stringify({ path: "a.ts", content: "é😀 x".repeat(20) });
    const fragments = splitFragments(json, 3);
    expect(fragments.length).toBeGreaterThanOrEqual(3);
    expect(fragments.join("")).toBe(json);
    expect(fragments.every((f) => !/[\ud800-\udbff]$/.test(f))).toBe(true);
  });
});

describe("planTurn", () => {
  const turn = {
    thinking: "think think",
    text: "answer",
    toolCalls: [{ name: "read_file" as const, input: { path: "a.ts" } }],
  };

  it("carries the whole turn, with token estimates at chars/4", () => {
    const plan = planTurn({ turn, prefill: "none", inputTokens: 7 });
    expect(plan).toMatchObject({ thinking: "think think", text: "answer", stop: "tool_use", inputTokens: 7 });
    expect(plan.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_function_\d{10}_1$/), name: "read_file", arguments: '{"path":"a.ts"}' },
    ]);
    expect(plan.outputTokens).toBe(Math.ceil((11 + 6 + 15) / 4));
    expect(plan.reasoningTokens).toBe(3);
  });

  it("drops the thinking after a prefill, or continues it when still open", () => {
    expect(planTurn({ turn, prefill: "after-thinking", inputTokens: 0 }).thinking).toBe("");
    const open = planTurn({ turn, prefill: "open-thinking", inputTokens: 0 });
    expect(open).toMatchObject({ thinking: PREFILL_CONTINUATION, continuesThinking: true });
  });

  it("cuts at max_tokens: inside thinking, inside text, or inside a tool call's arguments", () => {
    expect(planTurn({ turn, prefill: "none", inputTokens: 0, maxTokens: 1 })).toMatchObject({
      thinking: "thin",
      text: "",
      toolCalls: [],
      stop: "max_tokens",
      thinkingCut: true,
    });
    expect(planTurn({ turn, prefill: "none", inputTokens: 0, maxTokens: 4 })).toMatchObject({
      text: "answe",
      toolCalls: [],
      stop: "max_tokens",
      thinkingCut: false,
    });
    const inCall = planTurn({ turn, prefill: "none", inputTokens: 0, maxTokens: 6 });
    expect(inCall).toMatchObject({ text: "answer", stop: "max_tokens" });
    expect(inCall.toolCalls).toHaveLength(1);
    const full = JSON.stringify(turn.toolCalls?.[0]?.input);
    expect(full.startsWith(inCall.toolCalls[0]?.arguments ?? "x")).toBe(true);
    expect(inCall.toolCalls[0]?.arguments.length).toBeLessThan(full.length);
    expect(planTurn({ turn, prefill: "none", inputTokens: 0, maxTokens: 8 }).stop).toBe("tool_use");
  });

  it("a scripted cut applies to a fresh turn only; a prefill gets the rest of the text", () => {
    const scripted = { ...turn, cutAtTokens: 4 };
    expect(planTurn({ turn: scripted, prefill: "none", inputTokens: 0, maxTokens: 100 })).toMatchObject({
      text: "answe",
      stop: "max_tokens",
    });
    const rest = planTurn({ turn: scripted, prefill: "after-thinking", prefillText: "answe", inputTokens: 0 });
    expect(rest).toMatchObject({ thinking: "", text: "r", stop: "tool_use" });
    // the native layout's line break before tool calls is not part of the text
    expect(planTurn({ turn, prefill: "after-thinking", prefillText: "answer\n", inputTokens: 0 }).text).toBe("");
    // a prefill that is not the text's beginning (an edit) gets the whole text
    expect(planTurn({ turn, prefill: "after-thinking", prefillText: "other", inputTokens: 0 }).text).toBe("answer");
  });
});
