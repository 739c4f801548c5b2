import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { type OpenAIStreamOptions, OpenAIStreamParser } from "./openai-stream";
import { assemble, feedSse } from "./test-support";

const ID = "06fb8a0c6e4b2f1d9a7c5e3b1d0f2a4c";
const SPEAKER = { role: "assistant", name: "MiniMax AI", audio_content: "" };
const chunk = (delta: object, extra: object = {}) =>
  `data: ${JSON.stringify({ id: ID, choices: [{ index: 0, delta: { ...delta, ...SPEAKER }, ...extra }], created: 1789671513, model: "MiniMax-M2.7", object: "chat.completion.chunk", usage: null })}\n\n`;
const USAGE = {
  total_tokens: 939,
  total_characters: 0,
  prompt_tokens: 767,
  completion_tokens: 172,
  completion_tokens_details: { reasoning_tokens: 25 },
  prompt_tokens_details: { cached_tokens: 443 },
};
const USAGE_FRAME = `data: ${JSON.stringify({ id: ID, choices: [], created: 1789671513, model: "MiniMax-M2.7", object: "chat.completion.chunk", usage: USAGE, base_resp: { status_code: 0, status_msg: "" } })}\n\n`;

/** minimax-wire §5, the observed production stream. */
const NATIVE =
  'data: {"id":"06fb8a0c6e4b2f1d9a7c5e3b1d0f2a4c","choices":[{"index":0,"delta":{"content":"<think>\\nThe","role":"assistant","name":"MiniMax AI","audio_content":""}}],"created":1789671513,"model":"MiniMax-M2.7","object":"chat.completion.chunk","usage":null}\n\n' +
  'data: {"id":"06fb8a0c6e4b2f1d9a7c5e3b1d0f2a4c","choices":[{"index":0,"delta":{"content":" user wants a concise proof.\\n</think>\\n\\n**","role":"assistant","name":"MiniMax AI","audio_content":""}}],"created":1789671513,"model":"MiniMax-M2.7","object":"chat.completion.chunk","usage":null}\n\n' +
  'data: {"id":"06fb8a0c6e4b2f1d9a7c5e3b1d0f2a4c","choices":[{"finish_reason":"stop","index":0,"delta":{"content":"Proof.** n(n+1) is even.\\n\\n∎","role":"assistant","name":"MiniMax AI","audio_content":""}}],"created":1789671513,"model":"MiniMax-M2.7","object":"chat.completion.chunk","usage":null}\n\n' +
  'data: {"id":"06fb8a0c6e4b2f1d9a7c5e3b1d0f2a4c","choices":[],"created":1789671513,"model":"MiniMax-M2.7","object":"chat.completion.chunk","usage":{"total_tokens":939,"total_characters":0,"prompt_tokens":767,"completion_tokens":172,"completion_tokens_details":{"reasoning_tokens":25},"prompt_tokens_details":{"cached_tokens":443}},"base_resp":{"status_code":0,"status_msg":""}}\n\n' +
  "data: [DONE]\n\n";
const NATIVE_CONTENT = "<think>\nThe user wants a concise proof.\n</think>\n\n**Proof.** n(n+1) is even.\n\n∎";

function parse(sse: string, options: Partial<OpenAIStreamOptions> = {}, chunkSize?: number) {
  const parts: LanguageModelV4StreamPart[] = [];
  feedSse(
    new OpenAIStreamParser((p) => parts.push(p), { initial: "detect", reasoningSplit: false, ...options }),
    sse,
    chunkSize,
  );
  return parts;
}

const rawOf = (part: { metadata?: unknown }) => (part.metadata as { raw?: string } | undefined)?.raw ?? "";

describe("OpenAIStreamParser", () => {
  it("splits <think> out of content and keeps the exact raw slices", () => {
    const parts = parse(NATIVE);
    expect(parts[0]).toEqual({
      type: "response-metadata",
      id: ID,
      modelId: "MiniMax-M2.7",
      timestamp: new Date(1789671513000),
    });
    const assembled = assemble(parts);
    expect(assembled).toEqual([
      {
        kind: "reasoning",
        text: "The user wants a concise proof.",
        metadata: { raw: "<think>\nThe user wants a concise proof.\n</think>\n\n" },
      },
      { kind: "text", text: "**Proof.** n(n+1) is even.\n\n∎", metadata: { raw: "**Proof.** n(n+1) is even.\n\n∎" } },
    ]);
    expect(assembled.map(rawOf).join("")).toBe(NATIVE_CONTENT);
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 767, noCache: 324, cacheRead: 443, cacheWrite: undefined },
        outputTokens: { total: 172, text: 147, reasoning: 25 },
        raw: USAGE,
      },
    });
  });

  it("gives the same parts for any byte chunking (tags and UTF-8 split across reads)", () => {
    const whole = assemble(parse(NATIVE));
    for (const size of [1, 3, 5, 17]) expect(assemble(parse(NATIVE, {}, size))).toEqual(whole);
  });

  it("handles tags split across chunks, and only the closing tag", () => {
    const sse =
      ["Thinking without", " the tag.\n</th", "ink>\n", "\nAnswer."].map((content) => chunk({ content })).join("") +
      chunk({ content: "" }, { finish_reason: "stop" });
    const assembled = assemble(parse(sse));
    expect(assembled.map(({ kind, text }) => ({ kind, text }))).toEqual([
      { kind: "reasoning", text: "Thinking without the tag." },
      { kind: "text", text: "Answer." },
    ]);
    expect(assembled.map(rawOf).join("")).toBe("Thinking without the tag.\n</think>\n\nAnswer.");
  });

  it("assembles tool calls by index and keeps the arguments string", () => {
    const sse =
      chunk({ content: "<think>\nWrite both files.\n</think>\n\n\n" }) +
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_function_1_1",
            type: "function",
            function: { name: "write_file", arguments: '{"path":' },
          },
        ],
      }) +
      chunk({
        tool_calls: [
          { index: 1, id: "call_function_1_2", type: "function", function: { name: "read_file", arguments: "" } },
        ],
      }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: ' "a.ts"}' } }] }) +
      chunk(
        { tool_calls: [{ index: 1, function: { arguments: '{"path":"b.ts"}' } }] },
        { finish_reason: "tool_calls" },
      ) +
      USAGE_FRAME; // no [DONE]
    const parts = parse(sse);
    expect(assemble(parts)).toEqual([
      { kind: "reasoning", text: "Write both files.", metadata: { raw: "<think>\nWrite both files.\n</think>\n\n\n" } },
      {
        kind: "tool-call",
        toolName: "write_file",
        text: '{"path": "a.ts"}',
        metadata: { toolInput: '{"path": "a.ts"}' },
      },
      { kind: "tool-call", toolName: "read_file", text: '{"path":"b.ts"}', metadata: { toolInput: '{"path":"b.ts"}' } },
    ]);
    expect(parts.find((p) => p.type === "tool-call")).toMatchObject({ toolCallId: "call_function_1_1" });
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "tool-calls", raw: "tool_calls" } });
  });

  it("takes only what is new from a final whole chat.completion frame", () => {
    const completion = {
      id: ID,
      choices: [{ finish_reason: "stop", index: 0, message: { content: NATIVE_CONTENT, ...SPEAKER } }],
      created: 1789671513,
      model: "MiniMax-M2.7",
      object: "chat.completion",
      usage: USAGE,
      base_resp: { status_code: 0, status_msg: "" },
    };
    const sse =
      chunk({ content: "<think>\nThe user wants a concise proof.\n</think>\n\n**Proof.** n(n+1)" }) +
      chunk({ content: " is even.\n\n∎" }, { finish_reason: "stop" }) +
      `data: ${JSON.stringify(completion)}\n\n`;
    const assembled = assemble(parse(sse));
    expect(assembled.map(rawOf).join("")).toBe(NATIVE_CONTENT);
    expect(assembled.map((p) => p.text)).toEqual([
      "The user wants a concise proof.",
      "**Proof.** n(n+1) is even.\n\n∎",
    ]);
  });

  it("ignores role:'' chunks and placeholder usage", () => {
    const sse =
      `data: ${JSON.stringify({ id: ID, choices: [{ index: 0, delta: { content: "<think>\nx\n</think>\n\ny", role: "" } }], usage: { total_tokens: 0 } })}\n\n` +
      `data: ${JSON.stringify({ id: ID, choices: [{ index: 0, delta: { role: "" }, finish_reason: "stop" }], usage: { total_tokens: 0 } })}\n\n` +
      USAGE_FRAME;
    const parts = parse(sse);
    expect(assemble(parts).map((p) => p.text)).toEqual(["x", "y"]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: { total: 767 } } });
  });

  for (const cumulative of [false, true]) {
    it(`reads ${cumulative ? "cumulative" : "incremental"} reasoning_details`, () => {
      const detail = (text: string) => ({
        type: "reasoning.text",
        id: "reasoning-text-1",
        format: "MiniMax-response-v1",
        index: 0,
        text,
      });
      const pieces = ["The user ", "wants a ", "proof."];
      let soFar = "";
      const sse =
        pieces
          .map((piece) => {
            soFar += piece;
            return chunk({ reasoning_details: [detail(cumulative ? soFar : piece)] });
          })
          .join("") +
        chunk({ content: "It is " }) +
        chunk({ content: "even." }, { finish_reason: "stop" }) +
        USAGE_FRAME +
        "data: [DONE]\n\n";
      expect(assemble(parse(sse, { reasoningSplit: true }))).toEqual([
        {
          kind: "reasoning",
          text: "The user wants a proof.",
          metadata: { reasoningDetails: [detail("The user wants a proof.")] },
        },
        { kind: "text", text: "It is even.", metadata: { raw: "It is even." } },
      ]);
    });
  }

  it("continues a prefill inside the open think", () => {
    const sse =
      chunk({ content: "\nTaking the revised reasoning into account.\n</think>\n\nDone." }, { finish_reason: "stop" }) +
      USAGE_FRAME;
    const assembled = assemble(parse(sse, { initial: "thinking" }));
    expect(assembled).toEqual([
      {
        kind: "reasoning",
        text: "\nTaking the revised reasoning into account.",
        metadata: { raw: "\nTaking the revised reasoning into account.\n</think>\n\n" },
      },
      { kind: "text", text: "Done.", metadata: { raw: "Done." } },
    ]);
  });

  it("reports a stream without finish_reason as dropped", () => {
    const parts = parse(chunk({ content: "<think>\nhalf" }));
    expect(parts.at(-1)).toEqual({ type: "error", error: expect.objectContaining({ code: "dropped" }) });
  });

  it("maps finish_reason length", () => {
    const parts = parse(chunk({ content: "<think>\ncut off" }, { finish_reason: "length" }) + USAGE_FRAME);
    expect(assemble(parts)).toEqual([{ kind: "reasoning", text: "cut off", metadata: { raw: "<think>\ncut off" } }]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "length", raw: "length" } });
  });

  it("reports base_resp errors inside the stream", () => {
    const parts = parse('data: {"base_resp":{"status_code":1002,"status_msg":"rate limit"}}\n\n');
    expect(parts).toEqual([
      {
        type: "error",
        error: expect.objectContaining({ code: "rate_limit", message: expect.stringContaining("code 1002") }),
      },
    ]);
  });
});

describe("self-hosted server flavours (minimax-wire §5–6)", () => {
  const WRITE_TOOL = {
    type: "function" as const,
    name: "write_file",
    inputSchema: {
      type: "object" as const,
      properties: { path: { type: "string" as const }, content: { type: "string" as const } },
    },
  };
  const finish = (reason: string) => chunk({ content: "" }, { finish_reason: reason });

  it("reasoning_content (a vLLM/SGLang reasoning parser) is thinking that remembers its field; content is the answer", () => {
    for (const field of ["reasoning_content", "reasoning"]) {
      const sse =
        chunk({ [field]: "The user wants " }) +
        chunk({ [field]: "a proof." }) +
        chunk({ content: "n(n+1) is even." }) +
        finish("stop") +
        USAGE_FRAME;
      for (const size of [undefined, 7]) {
        expect(assemble(parse(sse, {}, size))).toEqual([
          { kind: "reasoning", text: "The user wants a proof.", metadata: { reasoningField: field } },
          { kind: "text", text: "n(n+1) is even.", metadata: { raw: "n(n+1) is even." } },
        ]);
      }
    }
  });

  it("XML tool calls inside content become tool calls, values whole, markup included", () => {
    const value = '<a>\n  <parameter name="x">1</parameter>\n  </invoke>\n</a>\n';
    const content = `<think>\nWrite it.\n</think>\n\nSaving.\n<minimax:tool_call>\n<invoke name="write_file">\n<parameter name="path">a.xml</parameter>\n<parameter name="content">${value}\n</parameter>\n</invoke>\n</minimax:tool_call>`;
    const sse = `${chunk({ content })}${finish("stop")}${USAGE_FRAME}`;
    for (const size of [undefined, 5, 23]) {
      const parts = parse(sse, { tools: [WRITE_TOOL] }, size);
      const assembled = assemble(parts);
      expect(assembled.map((p) => p.kind)).toEqual(["reasoning", "text", "tool-call"]);
      expect(assembled[1]?.text).toBe("Saving.\n");
      expect(JSON.parse(assembled[2]?.text ?? "")).toEqual({ path: "a.xml", content: value });
      expect(assembled[2]?.toolName).toBe("write_file");
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "tool-calls" } });
    }
  });

  it("a tool call cut by `length` streams its input but is no call", () => {
    const sse =
      chunk({ content: "<think>\nok\n</think>\n\n" }) +
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_function_1_1",
            type: "function",
            function: { name: "write_file", arguments: '{"path":"a' },
          },
        ],
      }) +
      finish("length") +
      USAGE_FRAME;
    const parts = parse(sse, { tools: [WRITE_TOOL] });
    expect(parts.some((p) => p.type === "tool-input-start")).toBe(true);
    expect(parts.some((p) => p.type === "tool-input-end")).toBe(true);
    expect(parts.some((p) => p.type === "tool-call")).toBe(false);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "length" } });
  });
});

describe("a gateway that sends the reasoning twice (reasoning_details and <think> in content)", () => {
  const detail = (text: string) => ({
    reasoning_details: [
      { type: "reasoning.text", id: "reasoning-text-1", format: "MiniMax-response-v1", index: 0, text },
    ],
  });
  const content = "<think>\nSame reasoning.\n</think>\n\nThe answer.";
  const tail = `${chunk({ content: "" }, { finish_reason: "stop" })}${USAGE_FRAME}`;

  it("details first: one thinking step; the text's raw keeps the repeat, so content replays exactly", () => {
    for (const size of [undefined, 6]) {
      const assembled = assemble(
        parse(chunk(detail("Same reasoning.")) + chunk({ content }) + tail, { reasoningSplit: true }, size),
      );
      expect(assembled.map((p) => [p.kind, p.text])).toEqual([
        ["reasoning", "Same reasoning."],
        ["text", "The answer."],
      ]);
      expect(rawOf(assembled[1] ?? {})).toBe(content);
    }
  });

  it("content first: the details that follow add no second step", () => {
    const assembled = assemble(
      parse(chunk({ content }) + chunk(detail("Same reasoning.")) + tail, { reasoningSplit: true }),
    );
    expect(assembled.map((p) => p.kind)).toEqual(["reasoning", "text"]);
  });
});
