import type { Prefill } from "./conversation";
import { toolCallIds } from "./ids";
import type { ScriptedTurn } from "./types";

/** What one response carries, independent of the wire format. */
export interface TurnPlan {
  /** reasoning to emit ("" when a prefill already completed it) */
  thinking: string;
  /** the prefill left `<think>` open: continue it without an opening tag */
  continuesThinking: boolean;
  /** max_tokens ran out inside the reasoning, so it is never closed */
  thinkingCut: boolean;
  text: string;
  /** with stop `max_tokens`, the last call's arguments may be cut short (not valid JSON) */
  toolCalls: { id: string; name: string; arguments: string }[];
  stop: "end_turn" | "tool_use" | "max_tokens";
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/** Appended to a person's edited, still-open reasoning (OpenAI prefill). */
export const PREFILL_CONTINUATION =
  "\nTaking the revised reasoning above into account, the next step still follows from it, so I will carry on.";

const estimateTokens = (chars: number) => Math.ceil(chars / 4);

/**
 * What is left of the scripted text after the part a prefill already has; the whole text
 * when the prefill is not its beginning (an edit, say). The line break the native layout
 * puts before tool calls is not part of the script.
 */
function remainderAfter(scripted: string, already: string): string {
  if (scripted.startsWith(already)) return scripted.slice(already.length);
  const trimmed = already.replace(/\n+$/, "");
  return scripted.startsWith(trimmed) ? scripted.slice(trimmed.length) : scripted;
}

/**
 * Turns a scripted turn into a response. Thinking counts toward max_tokens like on the
 * real API, so a small budget gives a reasoning-only reply that stops with max_tokens.
 */
export function planTurn(options: {
  turn: ScriptedTurn;
  prefill: Prefill;
  /** the text the prefill's partial turn already has: a scripted text it begins is continued */
  prefillText?: string;
  inputTokens: number;
  maxTokens?: number;
}): TurnPlan {
  const { turn, prefill, inputTokens } = options;
  const thinking = prefill === "none" ? turn.thinking : prefill === "open-thinking" ? PREFILL_CONTINUATION : "";
  const scriptedText = turn.text ?? "";
  const prefillText = options.prefillText ?? "";
  const text = prefill === "none" || !prefillText ? scriptedText : remainderAfter(scriptedText, prefillText);
  const cut = prefill === "none" ? turn.cutAtTokens : undefined;
  const maxTokens = cut === undefined ? options.maxTokens : Math.min(cut, options.maxTokens ?? cut);
  const fitted = fitToMaxTokens(
    {
      thinking,
      text,
      calls: (turn.toolCalls ?? []).map((call) => ({ name: call.name, arguments: JSON.stringify(call.input) })),
    },
    maxTokens,
  );
  const ids = toolCallIds(fitted.calls.length);
  const toolCalls = fitted.calls.map((call, i) => ({ id: ids[i] ?? "", ...call }));
  const outputChars =
    fitted.thinking.length + fitted.text.length + toolCalls.reduce((n, c) => n + c.arguments.length, 0);
  return {
    thinking: fitted.thinking,
    continuesThinking: prefill === "open-thinking",
    thinkingCut: fitted.thinkingCut,
    text: fitted.text,
    toolCalls,
    stop: fitted.stop,
    inputTokens,
    outputTokens: estimateTokens(outputChars),
    reasoningTokens: estimateTokens(fitted.thinking.length),
  };
}

interface Output {
  thinking: string;
  text: string;
  calls: { name: string; arguments: string }[];
}

/**
 * Cuts the output where a budget of maxTokens × 4 characters runs out: inside the
 * reasoning, the answer, or a tool call's arguments (the calls before it stay whole).
 */
function fitToMaxTokens(
  output: Output,
  maxTokens: number | undefined,
): Output & { stop: TurnPlan["stop"]; thinkingCut: boolean } {
  const { thinking, text, calls } = output;
  const budget = maxTokens === undefined ? Number.POSITIVE_INFINITY : maxTokens * 4;
  const argsChars = calls.reduce((n, call) => n + call.arguments.length, 0);
  if (thinking.length > budget) {
    return { thinking: thinking.slice(0, budget), text: "", calls: [], stop: "max_tokens", thinkingCut: true };
  }
  if (thinking.length + text.length > budget) {
    return {
      thinking,
      text: text.slice(0, budget - thinking.length),
      calls: [],
      stop: "max_tokens",
      thinkingCut: false,
    };
  }
  if (thinking.length + text.length + argsChars > budget) {
    let left = budget - thinking.length - text.length;
    const kept: Output["calls"] = [];
    for (const call of calls) {
      if (left <= 0) break;
      kept.push({ name: call.name, arguments: call.arguments.slice(0, left) });
      left -= call.arguments.length;
    }
    return { thinking, text, calls: kept, stop: "max_tokens", thinkingCut: false };
  }
  return { thinking, text, calls, stop: calls.length > 0 ? "tool_use" : "end_turn", thinkingCut: false };
}

/**
 * Splits text into pieces of `wordsPerChunk` words, each word keeping the whitespace that
 * follows it, so joining the pieces gives back the text byte for byte.
 */
export function splitWords(text: string, wordsPerChunk: number): string[] {
  if (text === "") return [];
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  const size = Math.max(1, wordsPerChunk);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += size) chunks.push(words.slice(i, i + size).join(""));
  return chunks;
}

/**
 * Splits a tool call's JSON arguments into several fragments, as a streaming model emits
 * them: at least three for any non-trivial input, at most ~6 characters per word.
 */
export function splitFragments(json: string, wordsPerChunk: number): string[] {
  const chars = Array.from(json); // code points, so no fragment ends inside a surrogate pair
  const size = Math.max(1, Math.min(wordsPerChunk * 6, Math.ceil(chars.length / 3)));
  const fragments: string[] = [];
  for (let i = 0; i < chars.length; i += size) fragments.push(chars.slice(i, i + size).join(""));
  return fragments;
}
