import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { describe, expect, test } from "vitest";
import type { ProviderData, StepKind } from "@/lib/steps/types";
import { type StepSink, TurnRecorder } from "./turn-recorder";

interface FakeStep {
  id: string;
  kind: StepKind;
  parentId: string | null;
  turn: number;
  content: string;
  status: string;
  providerData?: ProviderData | null;
}

/** Each step hangs below the one opened before it, the first below `from`. */
function fakeSink(from: string | null = null) {
  const steps: FakeStep[] = [];
  const sink: StepSink = {
    open(fields) {
      const parentId = steps.at(-1)?.id ?? from;
      const step: FakeStep = { id: `s${steps.length + 1}`, parentId, content: "", status: "streaming", ...fields };
      steps.push(step);
      return {
        id: step.id,
        append: (text) => {
          step.content += text;
        },
        finish: (patch) => {
          step.status = patch.status;
          if (patch.content !== undefined) step.content = patch.content;
          step.providerData = patch.providerData;
        },
        annotate: (patch) => {
          step.providerData = patch.providerData;
          if (patch.status) step.status = patch.status;
        },
      };
    },
  };
  return { sink, steps };
}

const usage = {
  inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 40, text: 20, reasoning: 20 },
};

function feed(recorder: TurnRecorder, parts: LanguageModelV4StreamPart[]) {
  for (const part of parts) recorder.accept(part);
}

describe("TurnRecorder", () => {
  test("thinking, a tool call: a chain of steps with their replay data", () => {
    const { sink, steps } = fakeSink("task");
    const recorder = new TurnRecorder(sink, 3, "anthropic");
    feed(recorder, [
      { type: "stream-start", warnings: [] },
      { type: "reasoning-start", id: "0" },
      { type: "reasoning-delta", id: "0", delta: "I should " },
      { type: "reasoning-delta", id: "0", delta: "write it." },
      { type: "reasoning-end", id: "0", providerMetadata: { minimax: { signature: "ab".repeat(32) } } },
      { type: "tool-input-start", id: "call_function_1_1", toolName: "write_file" },
      { type: "tool-input-delta", id: "call_function_1_1", delta: '{"path":"a.ts",' },
      { type: "tool-input-delta", id: "call_function_1_1", delta: '"content":"x"}' },
      { type: "tool-input-end", id: "call_function_1_1" },
      {
        type: "tool-call",
        toolCallId: "call_function_1_1",
        toolName: "write_file",
        input: '{"path":"a.ts","content":"x"}',
        providerMetadata: { minimax: { toolInput: '{"path": "a.ts", "content": "x"}' } },
      },
      { type: "finish", usage, finishReason: { unified: "tool-calls", raw: "tool_use" } },
    ]);
    expect(steps.map((s) => [s.kind, s.parentId, s.turn, s.status])).toEqual([
      ["thinking", "task", 3, "done"],
      ["tool_call", "s1", 3, "done"],
    ]);
    expect(steps[0]?.content).toBe("I should write it.");
    expect(steps[0]?.providerData).toEqual({ route: "anthropic", signature: "ab".repeat(32) });
    expect(steps[1]?.content).toBe('{"path": "a.ts", "content": "x"}');
    expect(steps[1]?.providerData).toMatchObject({ toolCallId: "call_function_1_1", toolName: "write_file" });
    expect(recorder.toolCalls).toEqual([
      {
        stepId: "s2",
        toolCallId: "call_function_1_1",
        toolName: "write_file",
        input: '{"path": "a.ts", "content": "x"}',
      },
    ]);
    expect(recorder.finishReason).toBe("tool-calls");
    expect(recorder.steps).toEqual([
      { id: "s1", kind: "thinking" },
      { id: "s2", kind: "tool_call" },
    ]);
  });

  test("OpenAI route: raw slices are kept for exact replay", () => {
    const { sink, steps } = fakeSink();
    const recorder = new TurnRecorder(sink, 1, "openai");
    feed(recorder, [
      { type: "reasoning-start", id: "r" },
      { type: "reasoning-delta", id: "r", delta: "Hmm." },
      { type: "reasoning-end", id: "r", providerMetadata: { minimax: { raw: "<think>\nHmm.\n</think>\n\n" } } },
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "Done." },
      { type: "text-end", id: "t", providerMetadata: { minimax: { raw: "Done." } } },
      { type: "finish", usage, finishReason: { unified: "stop", raw: "stop" } },
    ]);
    expect(steps.map((s) => s.providerData)).toEqual([
      { route: "openai", raw: "<think>\nHmm.\n</think>\n\n" },
      { route: "openai", raw: "Done." },
    ]);
    expect(recorder.toolCalls).toEqual([]);
  });

  test("the output limit inside a tool call: the cut call is interrupted, marked, and not a call", () => {
    const { sink, steps } = fakeSink();
    const recorder = new TurnRecorder(sink, 1, "anthropic");
    feed(recorder, [
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "Writing." },
      { type: "text-end", id: "t" },
      { type: "tool-input-start", id: "c1", toolName: "write_file" },
      { type: "tool-input-delta", id: "c1", delta: '{"path":"a.ts","cont' },
      { type: "tool-input-end", id: "c1" },
      { type: "finish", usage, finishReason: { unified: "length", raw: "max_tokens" } },
    ]);
    expect(steps.map((s) => [s.kind, s.status])).toEqual([
      ["text", "done"],
      ["tool_call", "interrupted"],
    ]);
    expect(steps[1]?.content).toBe('{"path":"a.ts","cont');
    expect(steps[1]?.providerData).toMatchObject({ toolName: "write_file", cutAtLimit: true });
    expect(steps[0]?.providerData?.cutAtLimit).toBeUndefined();
    expect(recorder.toolCalls).toEqual([]);
    expect(recorder.cutAtLimit).toBe(true);
  });

  test("a provider that sends the cut call as a call anyway: it is still interrupted and not run", () => {
    const { sink, steps } = fakeSink();
    const recorder = new TurnRecorder(sink, 1, "anthropic");
    feed(recorder, [
      { type: "tool-input-start", id: "c1", toolName: "write_file" },
      { type: "tool-input-delta", id: "c1", delta: '{"path":"a' },
      { type: "tool-call", toolCallId: "c1", toolName: "write_file", input: '{"path":"a' },
      { type: "finish", usage, finishReason: { unified: "length", raw: "max_tokens" } },
    ]);
    expect(steps[0]).toMatchObject({ status: "interrupted", providerData: { cutAtLimit: true } });
    expect(recorder.toolCalls).toEqual([]);
  });

  test("the output limit inside the answer: the text stays done and is marked cut", () => {
    const { sink, steps } = fakeSink();
    const recorder = new TurnRecorder(sink, 1, "openai");
    feed(recorder, [
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "A hash map stores" },
      { type: "text-end", id: "t", providerMetadata: { minimax: { raw: "A hash map stores" } } },
      { type: "finish", usage, finishReason: { unified: "length", raw: "length" } },
    ]);
    expect(steps[0]).toMatchObject({ status: "done", providerData: { raw: "A hash map stores", cutAtLimit: true } });
    expect(recorder.cutAtLimit).toBe(true);
  });

  test("a tool call without streamed input still becomes a step", () => {
    const { sink, steps } = fakeSink();
    const recorder = new TurnRecorder(sink, 1, "anthropic");
    recorder.accept({ type: "tool-call", toolCallId: "c1", toolName: "list_files", input: "{}" });
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ kind: "tool_call", status: "done", content: "{}" });
  });

  test("an error part throws the provider's error itself; the open step stays open for the run to interrupt", () => {
    const { sink, steps } = fakeSink();
    const recorder = new TurnRecorder(sink, 1, "anthropic");
    recorder.accept({ type: "reasoning-start", id: "0" });
    recorder.accept({ type: "reasoning-delta", id: "0", delta: "partial" });
    const error = new Error("socket hang up");
    expect(() => recorder.accept({ type: "error", error })).toThrow(error);
    expect(steps[0]?.status).toBe("streaming");
    expect(recorder.finishReason).toBeNull();
  });
});
