import type { LanguageModelV4CallOptions, LanguageModelV4Prompt } from "@ai-sdk/provider";
import {
  functionTools,
  isPrefill,
  type MiniMaxSettings,
  samplingParams,
  toolArguments,
  toolResultText,
  userText,
} from "./call-settings";
import { type ReasoningField, readMiniMaxOptions } from "./metadata";

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type OpenAIMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | Array<{ type: "text"; text: string }> }
  | {
      role: "assistant";
      content: string;
      tool_calls?: OpenAIToolCall[];
      reasoning_details?: unknown[];
      reasoning_content?: string;
      reasoning?: string;
    }
  | { role: "tool"; tool_call_id: string; content: string };

export interface OpenAIRequestBody {
  model: string;
  messages: OpenAIMessage[];
  max_tokens: number;
  temperature: number;
  top_p: number;
  tools?: Array<{ type: "function"; function: { name: string; description?: string; parameters: unknown } }>;
  tool_choice?: "auto" | "none";
  reasoning_split?: true;
  continue_final_message?: true;
  add_generation_prompt?: false;
  stream?: true;
  stream_options?: { include_usage: true };
}

type AssistantContent = Extract<LanguageModelV4Prompt[number], { role: "assistant" }>["content"];

/** How reasoning is written back when we have no raw slice: the model's own native layout. */
export function closedThink(text: string): string {
  return `<think>\n${text}\n</think>\n\n`;
}

/**
 * The assistant turn replayed exactly: content is the concatenation of the raw slices the
 * model sent (`<think>…</think>` and text), rebuilt in the native layout where a part has
 * none. `openEnd`: this is a prefill whose last reasoning the model must keep writing, so
 * its think stays open.
 */
export function assistantMessage(
  content: AssistantContent,
  { reasoningSplit, openEnd }: { reasoningSplit: boolean; openEnd: boolean },
): Extract<OpenAIMessage, { role: "assistant" }> {
  let text = "";
  const toolCalls: OpenAIToolCall[] = [];
  const reasoningDetails: unknown[] = [];
  const reasoningFields: Partial<Record<ReasoningField, string>> = {};
  content.forEach((part, index) => {
    const meta = readMiniMaxOptions(part.providerOptions);
    switch (part.type) {
      case "reasoning":
        // a reasoning parser's field goes back where it came from (minimax-wire §5)
        if (meta.reasoningField)
          reasoningFields[meta.reasoningField] = (reasoningFields[meta.reasoningField] ?? "") + part.text;
        else if (reasoningSplit && meta.reasoningDetails) reasoningDetails.push(...meta.reasoningDetails);
        else if (meta.raw !== undefined) text += meta.raw;
        else if (openEnd && index === content.length - 1) text += `<think>\n${part.text}`;
        else text += closedThink(part.text);
        break;
      case "text":
        text += meta.raw ?? part.text;
        break;
      case "tool-call":
        toolCalls.push({
          id: part.toolCallId,
          type: "function",
          function: { name: part.toolName, arguments: toolArguments(part.input, meta.toolInput) },
        });
        break;
      // files, custom parts and provider-executed results have no MiniMax counterpart
    }
  });
  return {
    role: "assistant",
    content: text,
    ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
    ...(reasoningDetails.length > 0 && { reasoning_details: reasoningDetails }),
    ...reasoningFields,
  };
}

/**
 * Whether a prefill leaves the model inside an open `<think>` (its first tokens are
 * reasoning): it ends with reasoning that is written back without a closing tag.
 */
export function prefillEndsInThinking(prompt: LanguageModelV4Prompt, settings: MiniMaxSettings): boolean {
  const last = prompt.at(-1);
  if (last?.role !== "assistant") return false;
  const part = last.content.at(-1);
  if (part?.type !== "reasoning") return false;
  const meta = readMiniMaxOptions(part.providerOptions);
  if (settings.reasoningSplit && meta.reasoningDetails) return false;
  // reasoning in its own field is closed by the server's template; the answer follows
  if (meta.reasoningField) return false;
  // a raw slice cut off by max_tokens is still open
  return meta.raw === undefined || !meta.raw.includes("</think>");
}

export function toOpenAIMessages(prompt: LanguageModelV4Prompt, settings: MiniMaxSettings): OpenAIMessage[] {
  const reasoningSplit = settings.reasoningSplit === true;
  const messages: OpenAIMessage[] = [];
  prompt.forEach((message, index) => {
    switch (message.role) {
      case "system":
        messages.push({ role: "system", content: message.content });
        break;
      case "user": {
        const texts = userText(message.content);
        const content =
          texts.length === 1 ? (texts[0] as string) : texts.map((text) => ({ type: "text" as const, text }));
        messages.push({ role: "user", content });
        break;
      }
      case "assistant":
        messages.push(assistantMessage(message.content, { reasoningSplit, openEnd: index === prompt.length - 1 }));
        break;
      case "tool":
        for (const part of message.content) {
          if (part.type !== "tool-result") continue;
          messages.push({ role: "tool", tool_call_id: part.toolCallId, content: toolResultText(part.output).text });
        }
        break;
    }
  });
  return messages;
}

/** The JSON body for POST /v1/chat/completions (without the stream fields). */
export function toOpenAIRequest(options: LanguageModelV4CallOptions, settings: MiniMaxSettings): OpenAIRequestBody {
  const tools = functionTools(options).map((tool) => ({
    type: "function" as const,
    function: {
      name: tool.name,
      ...(tool.description !== undefined && { description: tool.description }),
      parameters: tool.inputSchema,
    },
  }));
  const prefill = isPrefill(options.prompt);
  return {
    model: settings.modelId,
    messages: toOpenAIMessages(options.prompt, settings),
    ...samplingParams(options),
    ...(tools.length > 0 && { tools }),
    ...(tools.length > 0 && options.toolChoice?.type === "none" && { tool_choice: "none" as const }),
    ...(settings.reasoningSplit && { reasoning_split: true as const }),
    // vLLM/SGLang: continue the final assistant message instead of opening a new one
    ...(prefill && { continue_final_message: true as const, add_generation_prompt: false as const }),
  };
}
