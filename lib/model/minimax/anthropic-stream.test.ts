import type { LanguageModelV4FunctionTool, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { AnthropicStreamParser, anthropicMessageEvents, StartTextEcho } from "./anthropic-stream";
import { ModelCallError } from "./errors";
import { assemble, feedSse } from "./test-support";

const SIGNATURE = "cfa12f9d65190b7e6d1a9b0b5f1f6c3e8a4d2c7b9e0f1a2b3c4d5e6f7a8406bd";

const ev = (data: object) => `event: ${(data as { type: string }).type}\ndata: ${JSON.stringify(data)}\n\n`;

const MESSAGE_START =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"05566b15ee32962663694a2772193ac7","type":"message","role":"assistant","model":"MiniMax-M2","content":[],"usage":{"input_tokens":222,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":100},"stop_reason":null}}\n\n';

/** The standard grammar (minimax-wire §4): thinking + signature_delta, tool_use with input_json_delta. */
const TOOL_TURN =
  MESSAGE_START +
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think about "}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"this request."}}\n\n' +
  `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"${SIGNATURE}"}}\n\n` +
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
  'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_function_3679004591_1","name":"get_weather","input":{}}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\": \\"San Fr"}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ancisco, US\\"}"}}\n\n' +
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n' +
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":321}}\n\n' +
  'event: message_stop\ndata: {"type":"message_stop"}\n\n';

function parse(sse: string, chunkSize?: number, tools?: LanguageModelV4FunctionTool[]) {
  const parts: LanguageModelV4StreamPart[] = [];
  feedSse(new AnthropicStreamParser((p) => parts.push(p), tools), sse, chunkSize);
  return parts;
}

function thinkingTurn(start: object, deltas: string[], extra = "") {
  return (
    MESSAGE_START +
    ev({ type: "content_block_start", index: 0, content_block: { type: "thinking", ...start } }) +
    deltas
      .map((thinking) => ev({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking } }))
      .join("") +
    extra +
    ev({ type: "content_block_stop", index: 0 }) +
    ev({ type: "content_block_start", index: 1, content_block: { type: "text", text: "" } }) +
    ev({ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Hi." } }) +
    ev({ type: "content_block_stop", index: 1 }) +
    ev({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 9 } }) +
    ev({ type: "message_stop" })
  );
}

describe("AnthropicStreamParser", () => {
  it("streams thinking, signature, tool input, usage and finish", () => {
    const parts = parse(TOOL_TURN);
    expect(parts[0]).toEqual({
      type: "response-metadata",
      id: "05566b15ee32962663694a2772193ac7",
      modelId: "MiniMax-M2",
    });
    expect(assemble(parts)).toEqual([
      { kind: "reasoning", text: "Let me think about this request.", metadata: { signature: SIGNATURE } },
      {
        kind: "tool-call",
        toolName: "get_weather",
        text: '{"location": "San Francisco, US"}',
        metadata: { toolInput: '{"location": "San Francisco, US"}' },
      },
    ]);
    expect(
      parts.filter((p) => p.type === "tool-input-delta").map((p) => p.type === "tool-input-delta" && p.delta),
    ).toEqual(['{"location": "San Fr', 'ancisco, US"}']);
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: { unified: "tool-calls", raw: "tool_use" },
      usage: {
        inputTokens: { total: 322, noCache: 222, cacheRead: 100, cacheWrite: 0 },
        outputTokens: { total: 321, text: undefined, reasoning: undefined },
        raw: { input_tokens: 222, output_tokens: 321, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
      },
    });
  });

  it("gives the same parts however the bytes are chunked", () => {
    const whole = assemble(parse(TOOL_TURN));
    for (const size of [1, 2, 7, 64]) expect(assemble(parse(TOOL_TURN, size))).toEqual(whole);
  });

  it("keeps a signature that came only in content_block_start", () => {
    const parts = parse(thinkingTurn({ thinking: "", signature: SIGNATURE }, ["Plan."]));
    expect(assemble(parts)[0]).toEqual({ kind: "reasoning", text: "Plan.", metadata: { signature: SIGNATURE } });
  });

  it("keeps thinking that has no signature at all", () => {
    const parts = parse(thinkingTurn({ thinking: "" }, ["Plan."]));
    expect(assemble(parts)).toEqual([
      { kind: "reasoning", text: "Plan." },
      { kind: "text", text: "Hi." },
    ]);
    expect(parts.find((p) => p.type === "reasoning-end")).toEqual({ type: "reasoning-end", id: "0" });
  });

  it("does not double text that content_block_start already carried", () => {
    const sse =
      MESSAGE_START +
      ev({
        type: "content_block_start",
        index: 0,
        content_block: { type: "thinking", thinking: "Plan it well.", signature: "" },
      }) +
      ev({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Plan " } }) +
      ev({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "it well." } }) +
      ev({ type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: SIGNATURE } }) +
      ev({ type: "content_block_stop", index: 0 }) +
      ev({ type: "content_block_start", index: 1, content_block: { type: "text", text: "Hello there." } }) +
      ev({ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Hello " } }) +
      ev({ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "there." } }) +
      ev({ type: "content_block_stop", index: 1 }) +
      ev({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 9 } }) +
      ev({ type: "message_stop" });
    expect(assemble(parse(sse))).toEqual([
      { kind: "reasoning", text: "Plan it well.", metadata: { signature: SIGNATURE } },
      { kind: "text", text: "Hello there." },
    ]);
  });

  it("splits reasoning that arrives as text with a literal <think>", () => {
    const sse =
      MESSAGE_START +
      ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }) +
      ["<thi", "nk>\nThe user wants", " a proof.\n</thi", "nk>\n\nIt is even."]
        .map((text) => ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }))
        .join("") +
      ev({ type: "content_block_stop", index: 0 }) +
      ev({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 9 } }) +
      ev({ type: "message_stop" });
    expect(assemble(parse(sse))).toEqual([
      { kind: "reasoning", text: "The user wants a proof." },
      { kind: "text", text: "It is even." },
    ]);
  });

  it("turns a tool call leaked into text as XML into tool calls, typed by the schema", () => {
    const tools: LanguageModelV4FunctionTool[] = [
      {
        type: "function",
        name: "write_file",
        inputSchema: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } },
      },
      {
        type: "function",
        name: "read_file",
        inputSchema: { type: "object", properties: { path: { type: "string" }, limit: { type: "integer" } } },
      },
    ];
    const xml =
      'I will write it.\n<minimax:tool_call>\n<invoke name="write_file">\n<parameter name="path">src/sum.ts</parameter>\n' +
      '<parameter name="content">export const sum = (a: number, b: number) => a + b;\n</parameter>\n</invoke>\n' +
      '<invoke name="read_file">\n<parameter name="path">README.md</parameter>\n<parameter name="limit">20</parameter>\n</invoke>\n</minimax:tool_call>';
    const sse =
      MESSAGE_START +
      ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }) +
      ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: xml } }) +
      ev({ type: "content_block_stop", index: 0 }) +
      ev({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 9 } }) +
      ev({ type: "message_stop" });
    const parts = parse(sse, 5, tools);
    expect(assemble(parts)).toEqual([
      { kind: "text", text: "I will write it.\n" },
      {
        kind: "tool-call",
        toolName: "write_file",
        text: JSON.stringify({ path: "src/sum.ts", content: "export const sum = (a: number, b: number) => a + b;" }),
        metadata: expect.anything(),
      },
      {
        kind: "tool-call",
        toolName: "read_file",
        text: '{"path":"README.md","limit":20}',
        metadata: expect.anything(),
      },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "tool-calls", raw: "end_turn" } });
  });

  it("reports a stream that ends without message_stop as dropped", () => {
    const parts = parse(TOOL_TURN.slice(0, TOOL_TURN.indexOf("event: message_delta")));
    const last = parts.at(-1);
    expect(last?.type).toBe("error");
    expect(last?.type === "error" && last.error).toMatchObject({ code: "dropped" });
  });

  it("reports an error event with MiniMax's code", () => {
    const parts = parse(
      MESSAGE_START +
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"overloaded, please retry later (1000)","http_code":"529"}}\n\n',
    );
    const error = parts.at(-1)?.type === "error" ? (parts.at(-1) as { error: ModelCallError }).error : undefined;
    expect(error).toBeInstanceOf(ModelCallError);
    expect(error).toMatchObject({ code: "overloaded", status: 529, message: expect.stringContaining("code 1000") });
  });

  it("reports base_resp.status_code != 0 in an SSE frame", () => {
    const parts = parse(
      'data: {"base_resp":{"status_code":1004,"status_msg":"login fail: Please carry the API secret key"}}\n\n',
    );
    expect(parts).toEqual([
      {
        type: "error",
        error: expect.objectContaining({ code: "auth", message: expect.stringContaining("code 1004") }),
      },
    ]);
  });

  it("replays a non-streaming message through the same parser", () => {
    const message = {
      id: "05566b15ee32962663694a2772193ac7",
      type: "message",
      role: "assistant",
      model: "MiniMax-M2",
      content: [
        { thinking: "Let me think about this request.", signature: SIGNATURE, type: "thinking" },
        {
          type: "tool_use",
          id: "call_function_3679004591_1",
          name: "get_weather",
          input: { location: "San Francisco, US" },
        },
      ],
      usage: { input_tokens: 222, output_tokens: 321 },
      stop_reason: "tool_use",
      base_resp: { status_code: 0, status_msg: "" },
    };
    const parts: LanguageModelV4StreamPart[] = [];
    const parser = new AnthropicStreamParser((p) => parts.push(p));
    for (const event of anthropicMessageEvents(message)) parser.push(event);
    parser.end();
    expect(assemble(parts)).toEqual([
      { kind: "reasoning", text: "Let me think about this request.", metadata: { signature: SIGNATURE } },
      {
        kind: "tool-call",
        toolName: "get_weather",
        text: '{"location":"San Francisco, US"}',
        metadata: { toolInput: '{"location":"San Francisco, US"}' },
      },
    ]);
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      usage: { inputTokens: { total: 222 }, outputTokens: { total: 321 } },
    });
  });
});

describe("StartTextEcho", () => {
  it("passes on only what goes beyond the start's text", () => {
    const echo = new StartTextEcho("Hello there");
    expect(["Hello ", "there", " and more"].map((d) => echo.filter(d))).toEqual(["", "", " and more"]);
  });

  it("treats deltas that do not repeat the start as a continuation", () => {
    const echo = new StartTextEcho("Hello");
    expect([" world", "!"].map((d) => echo.filter(d))).toEqual([" world", "!"]);
  });
});
