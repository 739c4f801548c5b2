import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import type { MiniMaxSettings } from "./call-settings";
import { ModelCallError } from "./errors";
import { createMiniMaxModel, endpointUrl, streamPartsOf } from "./model";
import { readAll } from "./test-support";

const OPTIONS: LanguageModelV4CallOptions = { prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] };

/** A response body we write to by hand; errors when the request's signal aborts, as undici does. */
function pushBody(signal: AbortSignal | null | undefined) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  signal?.addEventListener("abort", () => controller.error(signal.reason ?? new DOMException("aborted", "AbortError")));
  const encoder = new TextEncoder();
  return {
    body,
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    fail: (error: Error) => controller.error(error),
  };
}

type Body = ReturnType<typeof pushBody>;

interface Captured {
  url?: string;
  init?: RequestInit;
  body?: Body;
}

function settingsWith(fetchImpl: typeof fetch, extra: Partial<MiniMaxSettings> = {}): MiniMaxSettings {
  return {
    route: "anthropic",
    baseURL: "https://api.minimax.io/",
    apiKey: "sk-test",
    modelId: "MiniMax-M2",
    fetch: fetchImpl,
    ...extra,
  };
}

/** A fetch answering with an event stream the test writes as it goes. */
function streamingFetch(captured: Captured, status = 200): typeof fetch {
  return (async (url: string, init?: RequestInit) => {
    captured.url = url;
    captured.init = init;
    const body = pushBody(init?.signal);
    captured.body = body;
    return new Response(body.body, { status, headers: { "content-type": "text/event-stream" } });
  }) as typeof fetch;
}

function jsonFetch(status: number, payload: unknown, captured: Captured = {}): typeof fetch {
  return (async (url: string, init?: RequestInit) => {
    captured.url = url;
    captured.init = init;
    return new Response(JSON.stringify(payload), { status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

const ev = (data: object) => `event: ${(data as { type: string }).type}\ndata: ${JSON.stringify(data)}\n\n`;
const MESSAGE_START = ev({
  type: "message_start",
  message: { id: "a1", model: "MiniMax-M2", usage: { input_tokens: 5, output_tokens: 0 } },
});
const THINKING_START = ev({
  type: "content_block_start",
  index: 0,
  content_block: { type: "thinking", thinking: "", signature: "" },
});
const THINKING_DELTA = ev({
  type: "content_block_delta",
  index: 0,
  delta: { type: "thinking_delta", thinking: "Hmm." },
});
const REST =
  ev({ type: "content_block_stop", index: 0 }) +
  ev({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 3 } }) +
  ev({ type: "message_stop" });

describe("createMiniMaxModel", () => {
  it("identifies itself as a v4 model of provider minimax", () => {
    const model = createMiniMaxModel(settingsWith(fetch));
    expect(model).toMatchObject({ specificationVersion: "v4", provider: "minimax", modelId: "MiniMax-M2" });
  });

  it("posts to the route's path with its auth headers", async () => {
    expect(endpointUrl(settingsWith(fetch))).toBe("https://api.minimax.io/anthropic/v1/messages");
    expect(endpointUrl(settingsWith(fetch, { route: "openai" }))).toBe("https://api.minimax.io/v1/chat/completions");

    const captured: Captured = {};
    await createMiniMaxModel(settingsWith(streamingFetch(captured))).doStream({
      ...OPTIONS,
      headers: { "x-trace": "1" },
    });
    const headers = captured.init?.headers as Record<string, string>;
    expect(headers).toMatchObject({ "x-api-key": "sk-test", "anthropic-version": "2023-06-01", "x-trace": "1" });
    expect(JSON.parse(String(captured.init?.body))).toMatchObject({ stream: true, model: "MiniMax-M2" });

    await createMiniMaxModel(settingsWith(streamingFetch(captured), { route: "openai" })).doStream(OPTIONS);
    expect((captured.init?.headers as Record<string, string> | undefined)?.authorization).toBe("Bearer sk-test");
    expect(JSON.parse(String(captured.init?.body))).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});

describe("doStream", () => {
  it("emits each part as soon as its bytes arrive", async () => {
    const captured: Captured = {};
    const { stream } = await createMiniMaxModel(settingsWith(streamingFetch(captured))).doStream(OPTIONS);
    const reader = stream.getReader();
    expect((await reader.read()).value).toEqual({ type: "stream-start", warnings: [] });
    captured.body?.send(MESSAGE_START + THINKING_START);
    expect((await reader.read()).value).toMatchObject({ type: "response-metadata", id: "a1" });
    expect((await reader.read()).value).toEqual({ type: "reasoning-start", id: "0" });
    captured.body?.send(THINKING_DELTA.slice(0, 30));
    captured.body?.send(THINKING_DELTA.slice(30));
    expect((await reader.read()).value).toEqual({ type: "reasoning-delta", id: "0", delta: "Hmm." });
    captured.body?.send(REST);
    expect((await reader.read()).value).toEqual({ type: "reasoning-end", id: "0" });
    expect((await reader.read()).value).toMatchObject({ type: "finish", finishReason: { unified: "stop" } });
    expect((await reader.read()).done).toBe(true);
  });

  it("finishes at the usage frame even if the server keeps the connection open", async () => {
    const captured: Captured = {};
    const model = createMiniMaxModel(settingsWith(streamingFetch(captured), { route: "openai" }));
    const { stream } = await model.doStream(OPTIONS);
    captured.body?.send(
      `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: "<think>\nx\n</think>\n\ny" }, finish_reason: "stop" }] })}\n\n` +
        `data: ${JSON.stringify({ id: "c1", choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}\n\n`,
    );
    expect((await readAll(stream)).at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "stop" } });
    expect(captured.init?.signal?.aborted).toBe(false);
  });

  it("rejects with the parsed MiniMax error on an HTTP error", async () => {
    const body = {
      type: "error",
      error: { type: "rate_limit_error", message: "rate limit, please retry later (1002)", http_code: "429" },
      request_id: "x",
    };
    const call = createMiniMaxModel(settingsWith(jsonFetch(429, body))).doStream(OPTIONS);
    await expect(call).rejects.toBeInstanceOf(ModelCallError);
    await expect(call).rejects.toMatchObject({
      code: "rate_limit",
      status: 429,
      message: expect.stringContaining("code 1002"),
    });
  });

  it("rejects on a legacy base_resp error with HTTP 200", async () => {
    const call = createMiniMaxModel(
      settingsWith(jsonFetch(200, { base_resp: { status_code: 1004, status_msg: "login fail" } })),
    ).doStream(OPTIONS);
    await expect(call).rejects.toMatchObject({ code: "auth", message: expect.stringContaining("code 1004") });
  });

  it("replays a whole JSON response when the server ignored stream:true", async () => {
    const message = {
      id: "a1",
      model: "MiniMax-M2",
      content: [
        { type: "thinking", thinking: "Hmm.", signature: "sig" },
        { type: "text", text: "Hello." },
      ],
      usage: { input_tokens: 5, output_tokens: 3 },
      stop_reason: "end_turn",
      base_resp: { status_code: 0, status_msg: "" },
    };
    const model = createMiniMaxModel(settingsWith(jsonFetch(200, message)));
    const { stream } = await model.doStream(OPTIONS);
    const parts = await readAll(stream);
    const direct: LanguageModelV4StreamPart[] = [];
    await streamPartsOf(model)?.(OPTIONS, (part) => direct.push(part));
    expect(direct).toEqual(parts); // the run loop's way to the parts (streamPartsOf) has them too
    expect(parts.map((p) => p.type)).toEqual([
      "stream-start",
      "response-metadata",
      "reasoning-start",
      "reasoning-delta",
      "reasoning-end",
      "text-start",
      "text-delta",
      "text-end",
      "finish",
    ]);
  });

  it("reports a network failure as 'network'", async () => {
    const failing = (async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:1") });
    }) as typeof fetch;
    await expect(createMiniMaxModel(settingsWith(failing)).doStream(OPTIONS)).rejects.toMatchObject({
      code: "network",
      message: "Could not reach MiniMax at api.minimax.io (connect ECONNREFUSED 127.0.0.1:1).",
    });
  });

  it("ends with a 'dropped' error part when the socket fails mid-stream", async () => {
    const captured: Captured = {};
    const { stream } = await createMiniMaxModel(settingsWith(streamingFetch(captured))).doStream(OPTIONS);
    captured.body?.send(MESSAGE_START + THINKING_START);
    captured.body?.fail(new TypeError("terminated"));
    const parts = await readAll(stream);
    expect(parts.at(-1)).toEqual({
      type: "error",
      error: expect.objectContaining({ code: "dropped" }),
    });
  });

  it("ends with a 'dropped' error part when the body ends without message_stop", async () => {
    const captured: Captured = {};
    const { stream } = await createMiniMaxModel(settingsWith(streamingFetch(captured))).doStream(OPTIONS);
    captured.body?.send(MESSAGE_START + THINKING_START);
    captured.body?.end();
    expect((await readAll(stream)).at(-1)).toEqual({
      type: "error",
      error: expect.objectContaining({ code: "dropped" }),
    });
  });

  it("ends with a 'malformed' error part on a line that is not JSON", async () => {
    const captured: Captured = {};
    const { stream } = await createMiniMaxModel(settingsWith(streamingFetch(captured))).doStream(OPTIONS);
    captured.body?.send(`${MESSAGE_START}event: content_block_start\ndata: {"type":"content_blo\n\n${THINKING_START}`);
    const parts = await readAll(stream);
    expect(parts.at(-1)).toEqual({
      type: "error",
      error: expect.objectContaining({ code: "malformed" }),
    });
    expect(parts.filter((p) => p.type === "reasoning-start")).toEqual([]);
  });

  it("aborts and reports 'stalled' when no byte arrives for stallTimeoutMs", async () => {
    const captured: Captured = {};
    const { stream } = await createMiniMaxModel(
      settingsWith(streamingFetch(captured), { stallTimeoutMs: 50 }),
    ).doStream(OPTIONS);
    captured.body?.send(MESSAGE_START);
    const parts = await readAll(stream);
    expect(parts.at(-1)).toEqual({
      type: "error",
      error: expect.objectContaining({ code: "stalled" }),
    });
    expect(captured.init?.signal?.aborted).toBe(true);
  });

  it("reports 'stalled' when the response headers never come", async () => {
    const hanging = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      })) as typeof fetch;
    await expect(
      createMiniMaxModel(settingsWith(hanging, { stallTimeoutMs: 30 })).doStream(OPTIONS),
    ).rejects.toMatchObject({
      code: "stalled",
    });
  });

  it("does not count time the consumer spends not reading as a stall", async () => {
    const captured: Captured = {};
    const { stream } = await createMiniMaxModel(
      settingsWith(streamingFetch(captured), { stallTimeoutMs: 40 }),
    ).doStream(OPTIONS);
    captured.body?.send(MESSAGE_START + THINKING_START + THINKING_DELTA + REST);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await readAll(stream)).at(-1)).toMatchObject({ type: "finish" });
  });

  it("honours the caller's abort: aborts the fetch and errors the stream with the abort reason", async () => {
    const captured: Captured = {};
    const abort = new AbortController();
    const { stream } = await createMiniMaxModel(settingsWith(streamingFetch(captured))).doStream({
      ...OPTIONS,
      abortSignal: abort.signal,
    });
    captured.body?.send(MESSAGE_START + THINKING_START);
    const reader = stream.getReader();
    await reader.read(); // stream-start
    await reader.read(); // response-metadata
    await reader.read(); // reasoning-start
    abort.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
    expect(captured.init?.signal?.aborted).toBe(true);
  });

  it("rejects with the abort reason when aborted before the call", async () => {
    const abort = new AbortController();
    abort.abort();
    const call = createMiniMaxModel(settingsWith(streamingFetch({}))).doStream({
      ...OPTIONS,
      abortSignal: abort.signal,
    });
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("doGenerate", () => {
  it("returns reasoning with its signature, text and usage on the Anthropic route", async () => {
    const message = {
      id: "a1",
      type: "message",
      model: "MiniMax-M2",
      content: [
        { thinking: "Let me think.", signature: "sig", type: "thinking" },
        { type: "tool_use", id: "call_function_1_1", name: "get_weather", input: { location: "SF" } },
      ],
      usage: { input_tokens: 222, output_tokens: 321 },
      stop_reason: "tool_use",
      base_resp: { status_code: 0, status_msg: "" },
    };
    const captured: Captured = {};
    const result = await createMiniMaxModel(settingsWith(jsonFetch(200, message, captured))).doGenerate(OPTIONS);
    expect(JSON.parse(String(captured.init?.body)).stream).toBeUndefined();
    expect(result.content).toEqual([
      { type: "reasoning", text: "Let me think.", providerMetadata: { minimax: { signature: "sig" } } },
      {
        type: "tool-call",
        toolCallId: "call_function_1_1",
        toolName: "get_weather",
        input: '{"location":"SF"}',
        providerMetadata: { minimax: { toolInput: '{"location":"SF"}' } },
      },
    ]);
    expect(result.finishReason).toEqual({ unified: "tool-calls", raw: "tool_use" });
    expect(result.usage.outputTokens.total).toBe(321);
  });

  it("splits <think> with raw slices on the OpenAI route", async () => {
    const completion = {
      id: "c1",
      object: "chat.completion",
      model: "MiniMax-M2",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          message: { role: "assistant", content: "<think>\nPlan.\n</think>\n\nAnswer." },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 2 } },
      base_resp: { status_code: 0, status_msg: "" },
    };
    const result = await createMiniMaxModel(settingsWith(jsonFetch(200, completion), { route: "openai" })).doGenerate(
      OPTIONS,
    );
    expect(result.content).toEqual([
      { type: "reasoning", text: "Plan.", providerMetadata: { minimax: { raw: "<think>\nPlan.\n</think>\n\n" } } },
      { type: "text", text: "Answer.", providerMetadata: { minimax: { raw: "Answer." } } },
    ]);
    expect(result.usage.outputTokens).toEqual({ total: 5, text: 3, reasoning: 2 });
  });

  it("throws the parsed error on failure", async () => {
    const body = {
      type: "error",
      error: { type: "insufficient_balance_error", message: "insufficient balance (1008)", http_code: "402" },
    };
    await expect(createMiniMaxModel(settingsWith(jsonFetch(402, body))).doGenerate(OPTIONS)).rejects.toMatchObject({
      code: "payment",
      status: 402,
    });
  });

  it("throws 'malformed' on a body that is not JSON", async () => {
    const broken = (async () => new Response('{"id":"a1","content":[', { status: 200 })) as typeof fetch;
    await expect(createMiniMaxModel(settingsWith(broken)).doGenerate(OPTIONS)).rejects.toMatchObject({
      code: "malformed",
    });
  });
});
