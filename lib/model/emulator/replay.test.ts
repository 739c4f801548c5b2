import { describe, expect, it } from "vitest";
import { checkThinkingReplay, signatureFor } from "./index";
import { thinkTagText } from "./replay";

const user = { role: "user", content: "task" };
const toolResult = {
  role: "user",
  content: [{ type: "tool_result", tool_use_id: "call_function_1_1", content: "ok" }],
};
const toolUse = { type: "tool_use", id: "call_function_1_1", name: "list_files", input: {} };
const signed = (thinking: string) => ({
  role: "assistant",
  content: [{ type: "thinking", thinking, signature: signatureFor(thinking) }, toolUse],
});

describe("signatureFor", () => {
  it("is a deterministic 64-hex digest of the text", () => {
    expect(signatureFor("abc")).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureFor("abc")).toBe(signatureFor("abc"));
    expect(signatureFor("abc")).not.toBe(signatureFor("abd"));
  });
});

describe("checkThinkingReplay, Anthropic route", () => {
  it("accepts a history where every turn carries its signed thinking", () => {
    const body = { messages: [user, signed("one"), toolResult, signed("two"), toolResult] };
    expect(checkThinkingReplay("anthropic", body)).toEqual({
      assistantTurns: 2,
      turnsWithThinking: 2,
      signedTurns: 2,
      thinkingByTurn: ["one", "two"],
      thinkingFieldByTurn: ["content", "content"],
      ok: true,
      problems: [],
    });
  });

  it("flags a turn whose thinking was dropped", () => {
    const dropped = { role: "assistant", content: [toolUse] };
    const check = checkThinkingReplay("anthropic", {
      messages: [user, signed("one"), toolResult, dropped, toolResult],
    });
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual(["assistant turn 2 has no thinking"]);
    expect(check.thinkingByTurn).toEqual(["one", ""]);
  });

  it("flags a signature that no longer matches its text", () => {
    const tampered = {
      role: "assistant",
      content: [{ type: "thinking", thinking: "edited", signature: signatureFor("original") }, toolUse],
    };
    const check = checkThinkingReplay("anthropic", { messages: [user, tampered, toolResult] });
    expect(check.problems).toEqual(["assistant turn 1 has a thinking signature that does not match its text"]);
    expect(check.signedTurns).toBe(1);
  });

  it("accepts unsigned thinking but does not count it as signed", () => {
    const unsigned = { role: "assistant", content: [{ type: "thinking", thinking: "mine" }, toolUse] };
    const emptySignature = { role: "assistant", content: [{ type: "thinking", thinking: "x", signature: "" }] };
    const check = checkThinkingReplay("anthropic", { messages: [user, unsigned, toolResult, emptySignature] });
    expect(check).toMatchObject({ assistantTurns: 2, turnsWithThinking: 2, signedTurns: 0, ok: true });
  });

  it("reads thinking kept as literal <think> text", () => {
    const asText = { role: "assistant", content: [{ type: "text", text: "<think>\nhmm\n</think>\n\nhi" }] };
    expect(checkThinkingReplay("anthropic", { messages: [user, asText] }).thinkingByTurn).toEqual(["hmm"]);
  });

  it("uses the given signature function", () => {
    const body = {
      messages: [user, { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "T" }] }],
    };
    expect(checkThinkingReplay("anthropic", body, (t) => t.toUpperCase()).ok).toBe(true);
    expect(checkThinkingReplay("anthropic", body).ok).toBe(false);
  });

  it("fails a body without messages", () => {
    expect(checkThinkingReplay("anthropic", null)).toMatchObject({
      ok: false,
      problems: ["request has no messages array"],
    });
  });
});

describe("checkThinkingReplay, OpenAI route", () => {
  const call = { id: "call_function_1_1", type: "function", function: { name: "list_files", arguments: "{}" } };
  const tool = { role: "tool", tool_call_id: "call_function_1_1", content: "ok" };

  it("reads <think> kept in content, and reasoning_details", () => {
    const native = { role: "assistant", content: "<think>\nfirst\n</think>\n\n\n", tool_calls: [call] };
    const split = {
      role: "assistant",
      content: "",
      reasoning_details: [{ text: "sec" }, { text: "ond" }],
      tool_calls: [call],
    };
    const check = checkThinkingReplay("openai", { messages: [user, native, tool, split, tool] });
    expect(check).toMatchObject({ assistantTurns: 2, turnsWithThinking: 2, signedTurns: 0, ok: true });
    expect(check.thinkingByTurn).toEqual(["first", "second"]);
  });

  it("flags stripped tags, and explains reasoning_content", () => {
    const stripped = { role: "assistant", content: "", tool_calls: [call] };
    const moved = { role: "assistant", content: "", reasoning_content: "first", tool_calls: [call] };
    const check = checkThinkingReplay("openai", { messages: [user, stripped, tool, moved, tool] });
    expect(check.problems).toEqual([
      "assistant turn 1 has no thinking",
      "assistant turn 2 has no thinking (reasoning_content is not read by MiniMax; keep <think> in content or send reasoning_details)",
    ]);
  });
});

describe("thinkTagText", () => {
  it("handles closed, open (prefill), close-only and absent tags", () => {
    expect(thinkTagText("<think>\na b\n</think>\n\nanswer")).toBe("a b");
    expect(thinkTagText("<think>\nstill going")).toBe("still going");
    expect(thinkTagText("reasoning\n</think>\n\nanswer")).toBe("reasoning");
    expect(thinkTagText("just an answer")).toBe("");
  });
});
