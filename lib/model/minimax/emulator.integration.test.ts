import type {
  LanguageModelV4CallOptions,
  LanguageModelV4FunctionTool,
  LanguageModelV4Message,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
} from "@ai-sdk/provider";
import { jsonSchema, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, type Fault, SCENARIOS, startEmulator } from "@/lib/model/emulator";
import type { MiniMaxSettings } from "./call-settings";
import { ModelCallError } from "./errors";
import { createMiniMaxModel, streamPartsOf } from "./model";
import { readAll } from "./test-support";

const ROUTES = ["anthropic", "openai"] as const;
type Route = (typeof ROUTES)[number];

const sum = SCENARIOS.find((s) => s.id === "sum");
const fizzbuzz = SCENARIOS.find((s) => s.id === "fizzbuzz");
if (!sum || !fizzbuzz) throw new Error("the emulator's sum and fizzbuzz scenarios are needed");

const TOOLS: LanguageModelV4FunctionTool[] = ["write_file", "edit_file", "read_file", "list_files"].map((name) => ({
  type: "function",
  name,
  inputSchema: { type: "object", additionalProperties: true },
}));

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ chunkDelayMs: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

function modelFor(route: Route, extra: Partial<MiniMaxSettings> = {}) {
  return createMiniMaxModel({ route, baseURL: emu.url, apiKey: "test-key", modelId: "MiniMax-M2", ...extra });
}

async function streamParts(route: Route, options: LanguageModelV4CallOptions, extra: Partial<MiniMaxSettings> = {}) {
  const { stream } = await modelFor(route, extra).doStream(options);
  return readAll(stream);
}

/** The assistant message a history builder makes from a turn's parts, metadata → providerOptions. */
function assistantMessageFrom(
  parts: readonly LanguageModelV4StreamPart[],
): Extract<LanguageModelV4Message, { role: "assistant" }> {
  const content: Extract<LanguageModelV4Message, { role: "assistant" }>["content"] = [];
  const open = new Map<
    string,
    { type: "reasoning" | "text"; text: string; providerOptions?: Record<string, Record<string, never>> }
  >();
  for (const part of parts) {
    if (part.type === "reasoning-start" || part.type === "text-start") {
      const entry = { type: part.type === "text-start" ? ("text" as const) : ("reasoning" as const), text: "" };
      open.set(part.id, entry);
      content.push(entry);
    } else if (part.type === "reasoning-delta" || part.type === "text-delta") {
      const entry = open.get(part.id);
      if (entry) entry.text += part.delta;
    } else if ((part.type === "reasoning-end" || part.type === "text-end") && part.providerMetadata) {
      const entry = open.get(part.id);
      if (entry) Object.assign(entry, { providerOptions: part.providerMetadata });
    } else if (part.type === "tool-call") {
      content.push({
        type: "tool-call",
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        input: JSON.parse(part.input),
        ...(part.providerMetadata && { providerOptions: part.providerMetadata }),
      });
    }
  }
  return { role: "assistant", content };
}

function toolResultsFor(message: Extract<LanguageModelV4Message, { role: "assistant" }>): LanguageModelV4Message {
  return {
    role: "tool",
    content: message.content.flatMap((part) =>
      part.type === "tool-call"
        ? [
            {
              type: "tool-result" as const,
              toolCallId: part.toolCallId,
              toolName: part.toolName,
              output: { type: "text" as const, value: "ok" },
            },
          ]
        : [],
    ),
  };
}

const userPrompt = (text: string): LanguageModelV4Prompt => [{ role: "user", content: [{ type: "text", text }] }];

async function twoTurns(route: Route, task: string, extra: Partial<MiniMaxSettings> = {}) {
  const first = await streamParts(route, { prompt: userPrompt(task), tools: TOOLS }, extra);
  const assistant = assistantMessageFrom(first);
  const second = await streamParts(
    route,
    { prompt: [...userPrompt(task), assistant, toolResultsFor(assistant)], tools: TOOLS },
    extra,
  );
  return { first, assistant, second };
}

const errorOf = (parts: readonly LanguageModelV4StreamPart[]) => {
  const last = parts.at(-1);
  return last?.type === "error" ? (last.error as ModelCallError) : undefined;
};

describe.each(ROUTES)("%s route against the emulator", (route) => {
  it("replays turn 1's thinking exactly in turn 2", async () => {
    const { first, assistant, second } = await twoTurns(route, "write a sum function [emulator:scenario=sum]");
    expect(first.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "tool-calls" } });
    expect(assistant.content[0]).toMatchObject({ type: "reasoning", text: sum.turns[0]?.thinking });
    const replay = emu.requests[1]?.replay;
    expect(replay).toMatchObject({ ok: true, assistantTurns: 1, turnsWithThinking: 1 });
    expect(replay?.thinkingByTurn).toEqual([sum.turns[0]?.thinking]);
    if (route === "anthropic") expect(replay?.signedTurns).toBe(1);
    // the replayed tool call keeps the model's id and arguments
    const call = first.find((p) => p.type === "tool-call");
    const body = emu.requests[1]?.body;
    const sent = JSON.stringify(body.messages[1]);
    expect(sent).toContain(call?.type === "tool-call" ? call.toolCallId : "missing");
    expect(second.at(-1)).toMatchObject({ type: "finish" });
    expect(assistantMessageFrom(second).content[0]).toMatchObject({ type: "reasoning", text: sum.turns[1]?.thinking });
  });

  it("replays a turn with text and a tool call byte for byte", async () => {
    await twoTurns(route, "fizzbuzz please");
    const replayed = emu.requests[1]?.body.messages[1];
    const turn = fizzbuzz.turns[0];
    if (route === "openai") {
      expect(replayed.content).toBe(`<think>\n${turn?.thinking}\n</think>\n\n${turn?.text}\n`);
      expect(replayed.tool_calls).toEqual([
        {
          id: expect.stringMatching(/^call_function_/),
          type: "function",
          function: { name: "list_files", arguments: "{}" },
        },
      ]);
    } else {
      expect(replayed.content).toEqual([
        { type: "thinking", thinking: turn?.thinking, signature: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { type: "text", text: turn?.text },
        { type: "tool_use", id: expect.stringMatching(/^call_function_/), name: "list_files", input: {} },
      ]);
    }
    expect(emu.requests[1]?.replay.ok).toBe(true);
  });

  it("runs a multi-step tool loop through the AI SDK's streamText with thinking replayed", async () => {
    const fileTool = tool({
      inputSchema: jsonSchema<Record<string, unknown>>({ type: "object" }),
      execute: async () => "ok",
    });
    const result = streamText({
      model: modelFor(route),
      prompt: "write a sum function [emulator:scenario=sum]",
      tools: { write_file: fileTool, edit_file: fileTool, read_file: fileTool, list_files: fileTool },
      stopWhen: stepCountIs(3),
    });
    await result.consumeStream();
    expect(await result.steps).toHaveLength(3);
    expect(emu.requests).toHaveLength(3);
    expect(emu.requests[2]?.replay).toMatchObject({ ok: true, assistantTurns: 2, turnsWithThinking: 2 });
    expect(emu.requests[2]?.replay.thinkingByTurn).toEqual([sum.turns[0]?.thinking, sum.turns[1]?.thinking]);
  });

  it("continues an edited thinking step as a prefill", async () => {
    const edited = "I will write the sum in src/sum.ts, but with an initial value of 0 from the start.";
    const prompt: LanguageModelV4Prompt = [
      ...userPrompt("write a sum function"),
      { role: "assistant", content: [{ type: "reasoning", text: edited }] },
    ];
    const parts = await streamParts(route, { prompt, tools: TOOLS });
    const request = emu.requests[0];
    expect(request?.prefill).toBe(true);
    expect(request?.replay.thinkingByTurn).toEqual([edited]);
    const continuation = assistantMessageFrom(parts).content;
    if (route === "openai") {
      expect(request?.body).toMatchObject({ continue_final_message: true, add_generation_prompt: false });
      // the model keeps reasoning inside the open <think> first
      expect(continuation[0]).toMatchObject({
        type: "reasoning",
        text: expect.stringContaining("Taking the revised reasoning"),
      });
      expect(continuation.at(-1)).toMatchObject({ type: "tool-call", toolName: "write_file" });
    } else {
      expect(continuation).toEqual([expect.objectContaining({ type: "tool-call", toolName: "write_file" })]);
    }
  });

  it("works without streaming (doGenerate)", async () => {
    const result = await modelFor(route).doGenerate({ prompt: userPrompt("fizzbuzz"), tools: TOOLS });
    expect(result.content.map((part) => part.type)).toEqual(["reasoning", "text", "tool-call"]);
    expect(result.content[0]).toMatchObject({ text: fizzbuzz.turns[0]?.thinking });
    expect(result.finishReason.unified).toBe("tool-calls");
  });

  const HTTP_FAULTS: [Fault & { type: "http" }, ModelCallError["code"]][] = [
    [{ type: "http", status: 400 }, "bad_request"],
    [{ type: "http", status: 401 }, "auth"],
    [{ type: "http", status: 402 }, "payment"],
    [{ type: "http", status: 422 }, "content_filter"],
    [{ type: "http", status: 429 }, "rate_limit"],
    [{ type: "http", status: 500 }, "server"],
    [{ type: "http", status: 529 }, "overloaded"],
  ];
  for (const [fault, code] of HTTP_FAULTS) {
    it(`rejects HTTP ${fault.status} as "${code}"`, async () => {
      emu.setFault(fault);
      const error = await modelFor(route)
        .doStream({ prompt: userPrompt("sum") })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ModelCallError);
      expect(error).toMatchObject({ code, status: fault.status });
      expect((error as ModelCallError).message).toMatch(/code \d+/);
    });
  }

  it("reports base_resp errors on HTTP 200, streaming and not", async () => {
    emu.setFault({ type: "base_resp", code: 1004 });
    expect(errorOf(await streamParts(route, { prompt: userPrompt("sum") }))).toMatchObject({
      code: "auth",
      message: expect.stringContaining("code 1004"),
    });
    emu.setFault({ type: "base_resp", code: 1008 });
    await expect(modelFor(route).doGenerate({ prompt: userPrompt("sum") })).rejects.toMatchObject({
      code: "payment",
      message: expect.stringContaining("code 1008"),
    });
  });

  it('reports a dropped socket as "dropped" after the parts that arrived', async () => {
    emu.setFault({ type: "drop", afterChunks: 4 });
    const parts = await streamParts(route, { prompt: userPrompt("sum") });
    expect(parts.some((p) => p.type === "reasoning-delta")).toBe(true);
    expect(errorOf(parts)).toMatchObject({ code: "dropped" });
  });

  it('reports a stall as "stalled"', async () => {
    emu.setFault({ type: "stall", afterChunks: 3 });
    const started = Date.now();
    const parts = await streamParts(route, { prompt: userPrompt("sum") }, { stallTimeoutMs: 150 });
    expect(errorOf(parts)).toMatchObject({ code: "stalled" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a broken event as "malformed"', async () => {
    emu.setFault({ type: "malformed", afterChunks: 3 });
    expect(errorOf(await streamParts(route, { prompt: userPrompt("sum") }))).toMatchObject({ code: "malformed" });
  });

  it("a consumer that stops reading holds the connection without it counting as a stall", async () => {
    const { stream } = await modelFor(route, { stallTimeoutMs: 100 }).doStream({
      prompt: userPrompt("Implement an LRU cache. [emulator:scenario=long]"),
    });
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.value?.type).toBe("stream-start");
    await new Promise((resolve) => setTimeout(resolve, 400)); // the whole reply arrives meanwhile, and waits
    const parts = [first.value];
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    expect(parts.at(-1)).toMatchObject({ type: "finish" });
    // more parts than the provider buffers before it pauses the connection
    expect(parts.filter((part) => part?.type === "reasoning-delta").length).toBeGreaterThan(64);
  });

  it("stops the upstream request when the caller aborts", async () => {
    const slow = await startEmulator({ chunkDelayMs: 20 });
    try {
      const abort = new AbortController();
      const model = createMiniMaxModel({ route, baseURL: slow.url, apiKey: "k", modelId: "MiniMax-M2" });
      const { stream } = await model.doStream({ prompt: userPrompt("sum"), abortSignal: abort.signal });
      const reader = stream.getReader();
      let part = await reader.read();
      while (!part.done && part.value.type !== "reasoning-delta") part = await reader.read();
      abort.abort();
      await expect(
        (async () => {
          for (;;) if ((await reader.read()).done) return;
        })(),
      ).rejects.toMatchObject({ name: "AbortError" });
    } finally {
      await slow.close();
    }
  });
});

describe("wire variants", () => {
  for (const signature of ["start", "none"] as const) {
    it(`anthropic: thinking whose signature is ${signature === "start" ? "only in content_block_start" : "absent"} is still replayed`, async () => {
      emu.setVariants({ signature });
      const { assistant } = await twoTurns("anthropic", "sum");
      const thinking = emu.requests[1]?.body.messages[1].content[0];
      expect(thinking).toEqual(
        signature === "start"
          ? { type: "thinking", thinking: sum.turns[0]?.thinking, signature: expect.stringMatching(/^[0-9a-f]{64}$/) }
          : { type: "thinking", thinking: sum.turns[0]?.thinking },
      );
      expect(assistant.content[0]?.type).toBe("reasoning");
      expect(emu.requests[1]?.replay).toMatchObject({ ok: true, signedTurns: signature === "start" ? 1 : 0 });
    });
  }

  it("anthropic: start text repeated by the deltas is not doubled", async () => {
    emu.setVariants({ startRepeatsText: true });
    const parts = await streamParts("anthropic", { prompt: userPrompt("fizzbuzz"), tools: TOOLS });
    const content = assistantMessageFrom(parts).content;
    expect(content.slice(0, 2)).toEqual([
      expect.objectContaining({ type: "reasoning", text: fizzbuzz.turns[0]?.thinking }),
      { type: "text", text: fizzbuzz.turns[0]?.text },
    ]);
  });

  it("anthropic: reasoning sent as text with <think> is split and replayed as thinking", async () => {
    emu.setVariants({ thinkAsText: true });
    const { assistant } = await twoTurns("anthropic", "fizzbuzz");
    expect(assistant.content.slice(0, 2)).toEqual([
      { type: "reasoning", text: fizzbuzz.turns[0]?.thinking },
      { type: "text", text: fizzbuzz.turns[0]?.text },
    ]);
    expect(emu.requests[1]?.replay).toMatchObject({ ok: true, thinkingByTurn: [fizzbuzz.turns[0]?.thinking] });
  });

  it("openai: a whole chat.completion final frame and no [DONE]", async () => {
    emu.setVariants({ openaiFinalFrame: "completion", openaiDone: false });
    const { first } = await twoTurns("openai", "fizzbuzz");
    expect(assistantMessageFrom(first).content.map((p) => p.type)).toEqual(["reasoning", "text", "tool-call"]);
    expect(first.at(-1)).toMatchObject({ type: "finish", usage: { outputTokens: { reasoning: expect.any(Number) } } });
    expect(emu.requests[1]?.replay.ok).toBe(true);
  });

  for (const reasoningDetailsCumulative of [false, true]) {
    it(`openai reasoning_split with ${reasoningDetailsCumulative ? "cumulative" : "incremental"} reasoning_details round-trips`, async () => {
      emu.setVariants({ reasoningDetailsCumulative });
      const { assistant } = await twoTurns("openai", "fizzbuzz", { reasoningSplit: true });
      expect(emu.requests[0]?.body.reasoning_split).toBe(true);
      expect(assistant.content[0]).toMatchObject({ type: "reasoning", text: fizzbuzz.turns[0]?.thinking });
      const replayed = emu.requests[1]?.body.messages[1];
      expect(replayed.reasoning_details).toEqual([
        {
          type: "reasoning.text",
          id: "reasoning-text-1",
          format: "MiniMax-response-v1",
          index: 0,
          text: fizzbuzz.turns[0]?.thinking,
        },
      ]);
      expect(replayed.content).toBe(fizzbuzz.turns[0]?.text);
      expect(emu.requests[1]?.replay.ok).toBe(true);
    });
  }

  it("a cut inside a tool call's arguments: its input arrives, but no tool-call part (it must not run)", async () => {
    for (const route of ROUTES) {
      const parts = await streamParts(route, { prompt: userPrompt("[emulator:scenario=cut-call]"), tools: TOOLS });
      const started = parts.filter((p) => p.type === "tool-input-start");
      expect(started).toHaveLength(1);
      expect(parts.some((p) => p.type === "tool-input-end")).toBe(true);
      expect(parts.some((p) => p.type === "tool-call")).toBe(false);
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "length" } });
    }
  });

  it("a max_tokens cut inside the thinking finishes with length", async () => {
    for (const route of ROUTES) {
      const parts = await streamParts(route, { prompt: userPrompt("sum"), maxOutputTokens: 10 });
      expect(assistantMessageFrom(parts).content).toEqual([expect.objectContaining({ type: "reasoning" })]);
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "length" } });
    }
  });
});

/**
 * The run loop reads our own model's parts through streamPartsOf (handed over as parsed, no
 * web stream): it must see exactly what doStream's stream carries, on every route, wire
 * variant and failure. Ids the emulator makes per request (tool calls', messages') are
 * compared by position.
 */
describe("streamPartsOf: the same parts as doStream, without the web stream", () => {
  const normalized = (parts: readonly LanguageModelV4StreamPart[]) => {
    const ids = new Map<string, string>();
    const id = (value: string) => {
      if (!ids.has(value)) ids.set(value, `id${ids.size}`);
      return ids.get(value);
    };
    return JSON.parse(
      JSON.stringify(parts, (key, value) =>
        typeof value === "string" && /^(toolCallId|id|signature)$/.test(key) ? id(value) : value,
      ),
    );
  };

  async function bothWays(route: Route, setUp: () => void, task = "fizzbuzz please") {
    const options = { prompt: userPrompt(task), tools: TOOLS };
    const model = modelFor(route);
    setUp();
    const { stream } = await model.doStream(options);
    const viaStream = await readAll(stream);
    setUp();
    const direct = streamPartsOf(model);
    if (!direct) throw new Error("our model has no direct parts");
    const viaCallback: LanguageModelV4StreamPart[] = [];
    await direct(options, (part) => viaCallback.push(part));
    expect(normalized(viaCallback)).toEqual(normalized(viaStream));
    return viaCallback;
  }

  describe.each(ROUTES)("%s route", (route) => {
    it("a turn with thinking, text and a tool call", async () => {
      const parts = await bothWays(route, () => {});
      expect(parts.some((part) => part.type === "tool-call")).toBe(true);
      expect(parts.at(-1)?.type).toBe("finish");
    });

    it("XML tool calls in the text", async () => {
      const parts = await bothWays(route, () => emu.setVariants({ toolCalls: "xml" }));
      expect(parts.some((part) => part.type === "tool-call")).toBe(true);
    });

    for (const fault of [
      { type: "drop", afterChunks: 4 },
      { type: "malformed", afterChunks: 3 },
      { type: "base_resp", code: 1008 },
      { type: "empty" },
    ] as Fault[]) {
      it(`${fault.type}: ends the same way`, async () => {
        const parts = await bothWays(route, () => emu.setFault(fault));
        if (fault.type !== "empty") expect(errorOf(parts)).toBeInstanceOf(ModelCallError);
      });
    }
  });

  it("what the consumer throws rejects the call, and nothing more is handed to it", async () => {
    const direct = streamPartsOf(modelFor("anthropic"));
    let seen = 0;
    const thrown = new Error("the recorder refused a part");
    await expect(
      direct?.({ prompt: userPrompt("fizzbuzz"), tools: TOOLS }, (part) => {
        seen += 1;
        if (part.type === "reasoning-delta") throw thrown;
      }),
    ).rejects.toBe(thrown);
    const after = seen;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toBe(after);
  });
});
