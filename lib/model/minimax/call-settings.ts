import type {
  LanguageModelV4CallOptions,
  LanguageModelV4FunctionTool,
  LanguageModelV4Prompt,
  LanguageModelV4ToolResultOutput,
  SharedV4Warning,
} from "@ai-sdk/provider";
import { UnsupportedFunctionalityError } from "@ai-sdk/provider";
import { isJson } from "@/lib/json";

/** Settings shared by both wire formats. */
export interface MiniMaxSettings {
  route: "anthropic" | "openai";
  /** e.g. https://api.minimax.io; the route's path is appended. */
  baseURL: string;
  apiKey: string;
  modelId: string;
  /** No byte for this long → error "stalled". Default 60000. */
  stallTimeoutMs?: number;
  /** OpenAI route: ask for reasoning in `reasoning_details` instead of `<think>` in content. */
  reasoningSplit?: boolean;
  /**
   * Anthropic route: ask for thinking with this budget (`thinking: {type: "enabled"}`).
   * MiniMax-M3 thinks there only when asked; the M2 family always thinks and needs none.
   */
  thinkingBudgetTokens?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_MAX_TOKENS = 16384;
const RECOMMENDED_TEMPERATURE = 1;
const RECOMMENDED_TOP_P = 0.95;

/** MiniMax rejects 0 and anything above 1 (a 400), so keep values inside (0, 1]. */
function clampUnit(value: number | undefined, fallback: number): number {
  if (value === undefined || Number.isNaN(value)) return fallback;
  return Math.min(1, Math.max(0.01, value));
}

export function samplingParams(options: LanguageModelV4CallOptions): {
  max_tokens: number;
  temperature: number;
  top_p: number;
} {
  return {
    max_tokens: options.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    temperature: clampUnit(options.temperature, RECOMMENDED_TEMPERATURE),
    top_p: clampUnit(options.topP, RECOMMENDED_TOP_P),
  };
}

export function functionTools(options: LanguageModelV4CallOptions): LanguageModelV4FunctionTool[] {
  return (options.tools ?? []).filter((tool): tool is LanguageModelV4FunctionTool => tool.type === "function");
}

/** Settings MiniMax ignores or rejects; we don't send them and say so. */
export function callWarnings(options: LanguageModelV4CallOptions, settings: MiniMaxSettings): SharedV4Warning[] {
  const warnings: SharedV4Warning[] = [];
  const unsupported = (feature: string, details?: string) =>
    warnings.push({ type: "unsupported", feature, ...(details && { details }) });
  if (options.topK !== undefined) unsupported("topK");
  if (options.presencePenalty !== undefined) unsupported("presencePenalty");
  if (options.frequencyPenalty !== undefined) unsupported("frequencyPenalty");
  if (options.seed !== undefined) unsupported("seed");
  if (options.stopSequences?.length) unsupported("stopSequences");
  if (options.responseFormat?.type === "json") unsupported("responseFormat", "MiniMax-M2 has no JSON mode.");
  for (const tool of options.tools ?? []) {
    if (tool.type === "provider") unsupported(`provider tool ${tool.name}`);
  }
  const choice = options.toolChoice?.type;
  if (settings.route === "openai" && (choice === "required" || choice === "tool")) {
    unsupported("toolChoice", "The OpenAI route only accepts auto or none; sent auto.");
  }
  if (
    options.temperature !== undefined &&
    clampUnit(options.temperature, RECOMMENDED_TEMPERATURE) !== options.temperature
  ) {
    warnings.push({ type: "compatibility", feature: "temperature", details: "Clamped into (0, 1]." });
  }
  return warnings;
}

/** A prompt ending with an assistant message asks the model to continue that turn (an edited thinking step). */
export function isPrefill(prompt: LanguageModelV4Prompt): boolean {
  return prompt.at(-1)?.role === "assistant";
}

export function systemText(prompt: LanguageModelV4Prompt): string | undefined {
  const parts = prompt.flatMap((message) => (message.role === "system" ? [message.content] : []));
  return parts.length ? parts.join("\n\n") : undefined;
}

/** The text of a user message; MiniMax-M2 takes no images, audio or documents. */
export function userText(content: Extract<LanguageModelV4Prompt[number], { role: "user" }>["content"]): string[] {
  return content.map((part) => {
    if (part.type === "text") return part.text;
    if (part.data.type === "text") return part.data.text;
    throw new UnsupportedFunctionalityError({
      functionality: `${part.mediaType} input`,
      message: "MiniMax-M2 accepts text only (no image, audio or document input).",
    });
  });
}

/** A tool result as the text the model reads, and whether it reports a failure. */
export function toolResultText(output: LanguageModelV4ToolResultOutput): { text: string; isError: boolean } {
  switch (output.type) {
    case "text":
      return { text: output.value, isError: false };
    case "json":
      return { text: JSON.stringify(output.value), isError: false };
    case "error-text":
      return { text: output.value, isError: true };
    case "error-json":
      return { text: JSON.stringify(output.value), isError: true };
    case "execution-denied":
      return { text: output.reason ?? "The tool call was denied.", isError: true };
    case "content":
      return { text: output.value.map(contentItemText).join(""), isError: false };
  }
}

function contentItemText(item: Extract<LanguageModelV4ToolResultOutput, { type: "content" }>["value"][number]): string {
  if (item.type === "text") return item.text;
  throw new UnsupportedFunctionalityError({
    functionality: "non-text tool result",
    message: "MiniMax-M2 accepts text-only tool results.",
  });
}

/**
 * The arguments string to replay for a tool call: the model's own bytes when they are
 * valid JSON (MiniMax answers 400/2013 to invalid ones), else the parsed input re-encoded.
 */
export function toolArguments(input: unknown, toolInput: string | undefined): string {
  if (toolInput !== undefined && isJson(toolInput)) return toolInput;
  if (typeof input === "string" && isJson(input)) return input;
  return JSON.stringify(typeof input === "object" && input !== null ? input : {});
}
