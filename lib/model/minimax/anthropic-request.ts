import type { LanguageModelV4CallOptions, LanguageModelV4Prompt } from "@ai-sdk/provider";
import {
  functionTools,
  type MiniMaxSettings,
  samplingParams,
  systemText,
  toolArguments,
  toolResultText,
  userText,
} from "./call-settings";
import { readMiniMaxOptions } from "./metadata";

export type AnthropicContentBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature?: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; tool_use_id: string; content: string; is_error?: true };

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: AnthropicContentBlock[];
}

export interface AnthropicRequestBody {
  model: string;
  max_tokens: number;
  temperature: number;
  top_p: number;
  system?: string;
  messages: AnthropicMessage[];
  tools?: Array<{ name: string; description?: string; input_schema: unknown }>;
  tool_choice?: { type: "auto" | "any" | "none" } | { type: "tool"; name: string };
  /** sent only when the settings ask for thinking (MiniMax-M3) */
  thinking?: { type: "enabled"; budget_tokens: number };
  stream?: true;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type AssistantContent = Extract<LanguageModelV4Prompt[number], { role: "assistant" }>["content"];

/**
 * The assistant turn replayed as MiniMax sent it: thinking (signed or not — an unsigned
 * block is never dropped), text and tool_use blocks in their original order and ids.
 */
function assistantBlocks(content: AssistantContent): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  for (const part of content) {
    switch (part.type) {
      case "reasoning": {
        const { signature } = readMiniMaxOptions(part.providerOptions);
        blocks.push({ type: "thinking", thinking: part.text, ...(signature !== undefined && { signature }) });
        break;
      }
      case "text":
        blocks.push({ type: "text", text: part.text });
        break;
      case "tool-call": {
        const input = isObject(part.input)
          ? part.input
          : (JSON.parse(toolArguments(part.input, readMiniMaxOptions(part.providerOptions).toolInput)) as unknown);
        blocks.push({ type: "tool_use", id: part.toolCallId, name: part.toolName, input });
        break;
      }
      // files, custom parts and provider-executed results have no MiniMax counterpart
    }
  }
  return blocks;
}

function toolResultBlocks(
  content: Extract<LanguageModelV4Prompt[number], { role: "tool" }>["content"],
): AnthropicContentBlock[] {
  return content.flatMap((part): AnthropicContentBlock[] => {
    if (part.type !== "tool-result") return [];
    const { text, isError } = toolResultText(part.output);
    return [
      { type: "tool_result", tool_use_id: part.toolCallId, content: text, ...(isError && { is_error: true as const }) },
    ];
  });
}

export function toAnthropicMessages(prompt: LanguageModelV4Prompt): AnthropicMessage[] {
  const messages: AnthropicMessage[] = [];
  let previousRole: LanguageModelV4Prompt[number]["role"] | undefined;
  for (const message of prompt) {
    switch (message.role) {
      case "system":
        break;
      case "user":
        messages.push({ role: "user", content: userText(message.content).map((text) => ({ type: "text", text })) });
        break;
      case "assistant":
        messages.push({ role: "assistant", content: assistantBlocks(message.content) });
        break;
      case "tool": {
        const blocks = toolResultBlocks(message.content);
        const last = messages.at(-1);
        // results of one turn's parallel calls belong in one user message
        if (previousRole === "tool" && last) last.content.push(...blocks);
        else messages.push({ role: "user", content: blocks });
        break;
      }
    }
    previousRole = message.role;
  }
  return messages;
}

function toolChoice(options: LanguageModelV4CallOptions): AnthropicRequestBody["tool_choice"] {
  const choice = options.toolChoice;
  switch (choice?.type) {
    case undefined:
    case "auto":
      return undefined;
    case "none":
      return { type: "none" };
    case "required":
      return { type: "any" };
    case "tool":
      return { type: "tool", name: choice.toolName };
  }
}

/** The JSON body for POST /anthropic/v1/messages (without `stream`). */
export function toAnthropicRequest(
  options: LanguageModelV4CallOptions,
  settings: MiniMaxSettings,
): AnthropicRequestBody {
  const system = systemText(options.prompt);
  const tools = functionTools(options).map((tool) => ({
    name: tool.name,
    ...(tool.description !== undefined && { description: tool.description }),
    input_schema: tool.inputSchema,
  }));
  const choice = tools.length ? toolChoice(options) : undefined;
  return {
    model: settings.modelId,
    ...samplingParams(options),
    ...(system !== undefined && { system }),
    messages: toAnthropicMessages(options.prompt),
    ...(tools.length > 0 && { tools }),
    ...(choice && { tool_choice: choice }),
    ...(settings.thinkingBudgetTokens !== undefined && {
      thinking: { type: "enabled", budget_tokens: settings.thinkingBudgetTokens },
    }),
  };
}
