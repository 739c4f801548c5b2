import type { LanguageModelV4CallOptions, LanguageModelV4Prompt } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { toAnthropicRequest } from "./anthropic-request";
import { callWarnings, type MiniMaxSettings } from "./call-settings";
import { prefillEndsInThinking, toOpenAIRequest } from "./openai-request";

const anthropic: MiniMaxSettings = {
  route: "anthropic",
  baseURL: "https://api.minimax.io",
  apiKey: "k",
  modelId: "MiniMax-M2",
};
const openai: MiniMaxSettings = { ...anthropic, route: "openai" };
const SIGNATURE = "cfa12f9d6519a8f4c2e4b0b4d9c1f1e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2";
const TOOL_INPUT = '{"path": "src/sum.ts",\n "content": "x"}';

const tools: LanguageModelV4CallOptions["tools"] = [
  {
    type: "function",
    name: "write_file",
    description: "Write a file",
    inputSchema: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } },
  },
];

/** user → assistant (signed thinking, text, tool call) → tool result → assistant (unsigned thinking, text) */
const conversation: LanguageModelV4Prompt = [
  { role: "system", content: "You are a coding agent." },
  { role: "user", content: [{ type: "text", text: "Write sum" }] },
  {
    role: "assistant",
    content: [
      {
        type: "reasoning",
        text: "I will write the file.",
        providerOptions: { minimax: { signature: SIGNATURE, raw: "<think>\nI will write the file.\n</think>\n\n" } },
      },
      { type: "text", text: "Writing it.", providerOptions: { minimax: { raw: "Writing it.\n" } } },
      {
        type: "tool-call",
        toolCallId: "call_function_3679004591_1",
        toolName: "write_file",
        input: { path: "src/sum.ts", content: "x" },
        providerOptions: { minimax: { toolInput: TOOL_INPUT } },
      },
    ],
  },
  {
    role: "tool",
    content: [
      {
        type: "tool-result",
        toolCallId: "call_function_3679004591_1",
        toolName: "write_file",
        output: { type: "text", value: "wrote src/sum.ts" },
      },
    ],
  },
  {
    role: "assistant",
    content: [
      { type: "reasoning", text: "Done, edited by a person." },
      { type: "text", text: "All done." },
    ],
  },
  { role: "user", content: [{ type: "text", text: "Thanks" }] },
];

describe("toAnthropicRequest", () => {
  it("uses the recommended sampling and the default token budget", () => {
    const body = toAnthropicRequest({ prompt: conversation }, anthropic);
    expect(body).toMatchObject({ model: "MiniMax-M2", max_tokens: 16384, temperature: 1, top_p: 0.95 });
  });

  it("clamps temperature and top_p into (0, 1] and passes maxOutputTokens", () => {
    const body = toAnthropicRequest(
      { prompt: conversation, temperature: 0, topP: 1.5, maxOutputTokens: 500 },
      anthropic,
    );
    expect(body.temperature).toBe(0.01);
    expect(body.top_p).toBe(1);
    expect(body.max_tokens).toBe(500);
    expect(callWarnings({ prompt: conversation, temperature: 0 }, anthropic)).toContainEqual(
      expect.objectContaining({ type: "compatibility", feature: "temperature" }),
    );
  });

  it("replays signed and unsigned thinking, text and tool_use exactly, with the original ids", () => {
    const body = toAnthropicRequest({ prompt: conversation, tools }, anthropic);
    expect(body.system).toBe("You are a coding agent.");
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Write sum" }] },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "I will write the file.", signature: SIGNATURE },
          { type: "text", text: "Writing it." },
          {
            type: "tool_use",
            id: "call_function_3679004591_1",
            name: "write_file",
            input: { path: "src/sum.ts", content: "x" },
          },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "call_function_3679004591_1", content: "wrote src/sum.ts" }],
      },
      {
        role: "assistant",
        // unsigned thinking is still sent, without a signature key
        content: [
          { type: "thinking", thinking: "Done, edited by a person." },
          { type: "text", text: "All done." },
        ],
      },
      { role: "user", content: [{ type: "text", text: "Thanks" }] },
    ]);
    expect(Object.keys(body.messages[3]?.content[0] ?? {})).toEqual(["type", "thinking"]);
  });

  it("maps tools to name/description/input_schema", () => {
    const body = toAnthropicRequest({ prompt: conversation, tools }, anthropic);
    expect(body.tools).toEqual([
      {
        name: "write_file",
        description: "Write a file",
        input_schema: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } },
      },
    ]);
    expect(body.tool_choice).toBeUndefined();
    expect(
      toAnthropicRequest({ prompt: conversation, tools, toolChoice: { type: "required" } }, anthropic).tool_choice,
    ).toEqual({ type: "any" });
  });

  it("merges consecutive tool messages into one user message and marks failures", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      {
        role: "assistant",
        content: [
          { type: "tool-call", toolCallId: "a", toolName: "read_file", input: { path: "x" } },
          { type: "tool-call", toolCallId: "b", toolName: "read_file", input: { path: "y" } },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "a", toolName: "read_file", output: { type: "json", value: { ok: 1 } } },
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "b",
            toolName: "read_file",
            output: { type: "error-text", value: "no such file" },
          },
        ],
      },
    ];
    const body = toAnthropicRequest({ prompt }, anthropic);
    expect(body.messages).toHaveLength(3);
    expect(body.messages[2]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "a", content: '{"ok":1}' },
        { type: "tool_result", tool_use_id: "b", content: "no such file", is_error: true },
      ],
    });
  });

  it("sends a final assistant message as a prefill, its edited thinking unsigned", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      { role: "assistant", content: [{ type: "reasoning", text: "Edited reasoning" }] },
    ];
    const body = toAnthropicRequest({ prompt }, anthropic);
    expect(body.messages.at(-1)).toEqual({
      role: "assistant",
      content: [{ type: "thinking", thinking: "Edited reasoning" }],
    });
  });

  it("re-encodes a tool input that arrived as a string", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "a", toolName: "t", input: '{"n":1}' }] },
    ];
    expect(toAnthropicRequest({ prompt }, anthropic).messages[1]?.content[0]).toEqual({
      type: "tool_use",
      id: "a",
      name: "t",
      input: { n: 1 },
    });
  });

  it("refuses image input", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "file", mediaType: "image/png", data: { type: "data", data: "AAAA" } }] },
    ];
    expect(() => toAnthropicRequest({ prompt }, anthropic)).toThrow(/text only/);
  });
});

describe("toOpenAIRequest", () => {
  it("replays content from the raw slices byte for byte, tool calls with the model's own arguments", () => {
    const body = toOpenAIRequest({ prompt: conversation, tools }, openai);
    expect(body).toMatchObject({ model: "MiniMax-M2", max_tokens: 16384, temperature: 1, top_p: 0.95 });
    expect(body.messages).toEqual([
      { role: "system", content: "You are a coding agent." },
      { role: "user", content: "Write sum" },
      {
        role: "assistant",
        content: "<think>\nI will write the file.\n</think>\n\nWriting it.\n",
        tool_calls: [
          {
            id: "call_function_3679004591_1",
            type: "function",
            function: { name: "write_file", arguments: TOOL_INPUT },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_function_3679004591_1", content: "wrote src/sum.ts" },
      // no raw: rebuilt in the native layout
      { role: "assistant", content: "<think>\nDone, edited by a person.\n</think>\n\nAll done." },
      { role: "user", content: "Thanks" },
    ]);
    expect(body.continue_final_message).toBeUndefined();
    expect(body.reasoning_split).toBeUndefined();
  });

  it("maps tools to OpenAI function tools", () => {
    expect(toOpenAIRequest({ prompt: conversation, tools }, openai).tools).toEqual([
      {
        type: "function",
        function: {
          name: "write_file",
          description: "Write a file",
          parameters: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } },
        },
      },
    ]);
  });

  it("falls back to JSON.stringify(input) when there is no valid toolInput", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      {
        role: "assistant",
        content: [
          { type: "tool-call", toolCallId: "a", toolName: "t", input: { n: 1 } },
          {
            type: "tool-call",
            toolCallId: "b",
            toolName: "t",
            input: { n: 2 },
            providerOptions: { minimax: { toolInput: '{"n": 2' } },
          },
        ],
      },
    ];
    const message = toOpenAIRequest({ prompt }, openai).messages[1];
    expect(message).toMatchObject({
      tool_calls: [
        { id: "a", function: { arguments: '{"n":1}' } },
        { id: "b", function: { arguments: '{"n":2}' } },
      ],
    });
  });

  it("sends reasoning_details instead of <think> when reasoning_split is on", () => {
    const details = [
      { type: "reasoning.text", id: "reasoning-text-1", format: "MiniMax-response-v1", index: 0, text: "Plan." },
    ];
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Plan.", providerOptions: { minimax: { reasoningDetails: details } } },
          { type: "text", text: "Answer", providerOptions: { minimax: { raw: "Answer" } } },
        ],
      },
      { role: "user", content: [{ type: "text", text: "more" }] },
    ];
    const split = toOpenAIRequest({ prompt }, { ...openai, reasoningSplit: true });
    expect(split.reasoning_split).toBe(true);
    expect(split.messages[1]).toEqual({ role: "assistant", content: "Answer", reasoning_details: details });
    // without reasoning_split the same turn goes back in the native layout
    expect(toOpenAIRequest({ prompt }, openai).messages[1]).toEqual({
      role: "assistant",
      content: "<think>\nPlan.\n</think>\n\nAnswer",
    });
  });

  it("prefills an edited thinking as an open <think> and asks to continue the message", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      { role: "assistant", content: [{ type: "reasoning", text: "Edited reasoning" }] },
    ];
    const body = toOpenAIRequest({ prompt }, openai);
    expect(body.messages.at(-1)).toEqual({ role: "assistant", content: "<think>\nEdited reasoning" });
    expect(body).toMatchObject({ continue_final_message: true, add_generation_prompt: false });
    expect(prefillEndsInThinking(prompt, openai)).toBe(true);
  });

  it("prefills after a complete think without reopening it", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Done.", providerOptions: { minimax: { raw: "<think>\nDone.\n</think>\n\n" } } },
        ],
      },
    ];
    const body = toOpenAIRequest({ prompt }, openai);
    expect(body.messages.at(-1)).toEqual({ role: "assistant", content: "<think>\nDone.\n</think>\n\n" });
    expect(body.continue_final_message).toBe(true);
    expect(prefillEndsInThinking(prompt, openai)).toBe(false);
  });

  it("treats a raw think cut off by max_tokens as still open", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      {
        role: "assistant",
        content: [{ type: "reasoning", text: "half", providerOptions: { minimax: { raw: "<think>\nhalf" } } }],
      },
    ];
    expect(toOpenAIRequest({ prompt }, openai).messages.at(-1)).toEqual({
      role: "assistant",
      content: "<think>\nhalf",
    });
    expect(prefillEndsInThinking(prompt, openai)).toBe(true);
  });

  it("sends one tool message per result", () => {
    const prompt: LanguageModelV4Prompt = [
      { role: "user", content: [{ type: "text", text: "go" }] },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "a", toolName: "t", input: {} }] },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "a",
            toolName: "t",
            output: { type: "execution-denied", reason: "not allowed" },
          },
        ],
      },
    ];
    expect(toOpenAIRequest({ prompt }, openai).messages[2]).toEqual({
      role: "tool",
      tool_call_id: "a",
      content: "not allowed",
    });
  });

  it("warns about settings MiniMax does not take", () => {
    const warnings = callWarnings(
      { prompt: conversation, tools, toolChoice: { type: "required" }, topK: 40, stopSequences: ["x"] },
      openai,
    );
    expect(warnings.map((w) => (w.type === "unsupported" ? w.feature : w.type))).toEqual([
      "topK",
      "stopSequences",
      "toolChoice",
    ]);
  });
});
