import { BASE_RESP_OK, type ResponseMeta, type SseFrame } from "./frames";
import { splitFragments, splitWords, type TurnPlan } from "./plan";
import type { WireVariants } from "./types";
import { xmlToolCallBlock } from "./xml";

/** OpenAI-compatible route (`POST /v1/chat/completions`), minimax-wire.md §5. */

const FINISH_REASONS = { end_turn: "stop", tool_use: "tool_calls", max_tokens: "length" } as const;

/** Every delta and message repeats these. */
const SPEAKER = { role: "assistant", name: "MiniMax AI", audio_content: "" } as const;

function reasoningDetail(text: string) {
  return { type: "reasoning.text", id: "reasoning-text-1", format: "MiniMax-response-v1", index: 0, text };
}

/** Tool calls as XML in the text: a server without a tool parser. */
const xmlCalls = (plan: TurnPlan, variants: WireVariants) => variants.toolCalls === "xml" && plan.toolCalls.length > 0;

/** The answer part of `content`: text, then a newline before native tool calls, or the calls' XML. */
function answerContent(plan: TurnPlan, variants: WireVariants): string {
  if (xmlCalls(plan, variants)) {
    const xml = xmlToolCallBlock(plan.toolCalls);
    return plan.text ? `${plan.text}\n${xml}` : xml;
  }
  return plan.text + (plan.toolCalls.length > 0 ? "\n" : "");
}

/** Where this server puts the reasoning: `content` (`<think>` tags), or a reasoning parser's field. */
function reasoningFieldOf(variants: WireVariants, reasoningSplit: boolean) {
  return reasoningSplit || variants.openaiReasoning === "content" ? null : variants.openaiReasoning;
}

/**
 * The native `content`: `<think>\n…\n</think>\n\n<answer>`, with one more `\n` when tool
 * calls follow. A prefill that left `<think>` open continues without the opening tag.
 */
function nativeContent(plan: TurnPlan, variants: WireVariants): string {
  const answer = answerContent(plan, variants);
  if (!plan.thinking) return answer;
  const open = plan.continuesThinking ? "" : "<think>\n";
  const close = plan.thinkingCut ? "" : "\n</think>\n\n";
  return `${open}${plan.thinking}${close}${answer}`;
}

/** The content this server sends: the answer alone when the reasoning travels elsewhere. */
function contentOf(plan: TurnPlan, variants: WireVariants, reasoningSplit: boolean): string {
  if (!reasoningSplit && !reasoningFieldOf(variants, reasoningSplit)) return nativeContent(plan, variants);
  return xmlCalls(plan, variants) ? answerContent(plan, variants) : plan.text;
}

function finishReason(plan: TurnPlan, variants: WireVariants) {
  // without a tool parser the server does not know the text held calls
  if (plan.stop === "tool_use" && xmlCalls(plan, variants)) return "stop";
  return FINISH_REASONS[plan.stop];
}

function usageOf(plan: TurnPlan) {
  return {
    total_tokens: plan.inputTokens + plan.outputTokens,
    total_characters: 0,
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    completion_tokens_details: { reasoning_tokens: plan.reasoningTokens },
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

/** Non-streaming body; also the final frame of the "completion" variant. */
export function openaiCompletion(plan: TurnPlan, meta: ResponseMeta, reasoningSplit: boolean): object {
  const message: Record<string, unknown> = { content: contentOf(plan, meta.variants, reasoningSplit), ...SPEAKER };
  if (reasoningSplit && plan.thinking) message.reasoning_details = [reasoningDetail(plan.thinking)];
  const field = reasoningFieldOf(meta.variants, reasoningSplit);
  if (field && plan.thinking) message[field] = plan.thinking;
  if (plan.toolCalls.length > 0 && !xmlCalls(plan, meta.variants)) {
    message.tool_calls = plan.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: meta.id,
    choices: [{ finish_reason: finishReason(plan, meta.variants), index: 0, message }],
    created: meta.created,
    model: meta.model,
    object: "chat.completion",
    usage: usageOf(plan),
    input_sensitive: false,
    output_sensitive: false,
    base_resp: BASE_RESP_OK,
  };
}

/** The payload of each chunk's delta before the repeated speaker fields. */
function deltasOf(plan: TurnPlan, meta: ResponseMeta, reasoningSplit: boolean, wordsPerChunk: number): object[] {
  const deltas: object[] = [];
  const field = reasoningFieldOf(meta.variants, reasoningSplit);
  if (reasoningSplit) {
    let soFar = "";
    for (const piece of splitWords(plan.thinking, wordsPerChunk)) {
      soFar += piece;
      const text = meta.variants.reasoningDetailsCumulative ? soFar : piece;
      deltas.push({ reasoning_details: [reasoningDetail(text)] });
    }
  } else if (field) {
    for (const piece of splitWords(plan.thinking, wordsPerChunk)) deltas.push({ [field]: piece });
  }
  for (const content of splitWords(contentOf(plan, meta.variants, reasoningSplit), wordsPerChunk)) {
    deltas.push({ content });
  }
  const nativeCalls = xmlCalls(plan, meta.variants) ? [] : plan.toolCalls;
  nativeCalls.forEach((call, index) => {
    splitFragments(call.arguments, wordsPerChunk).forEach((args, i) => {
      const toolCall =
        i === 0
          ? { index, id: call.id, type: "function", function: { name: call.name, arguments: args } }
          : { index, function: { arguments: args } };
      deltas.push({ tool_calls: [toolCall] });
    });
  });
  return deltas.length > 0 ? deltas : [{ content: "" }];
}

/** Streaming chunks; the last content-bearing chunk also carries finish_reason, as observed. */
export function openaiFrames(
  plan: TurnPlan,
  meta: ResponseMeta,
  reasoningSplit: boolean,
  wordsPerChunk: number,
): SseFrame[] {
  const deltas = deltasOf(plan, meta, reasoningSplit, wordsPerChunk);
  const frames: SseFrame[] = deltas.map((delta, i) => {
    const choice =
      i === deltas.length - 1
        ? { finish_reason: finishReason(plan, meta.variants), index: 0, delta: { ...delta, ...SPEAKER } }
        : { index: 0, delta: { ...delta, ...SPEAKER } };
    const chunk = {
      id: meta.id,
      choices: [choice],
      created: meta.created,
      model: meta.model,
      object: "chat.completion.chunk",
      usage: null,
    };
    return { data: JSON.stringify(chunk), paced: true };
  });
  const final =
    meta.variants.openaiFinalFrame === "completion"
      ? openaiCompletion(plan, meta, reasoningSplit)
      : {
          id: meta.id,
          choices: [],
          created: meta.created,
          model: meta.model,
          object: "chat.completion.chunk",
          usage: usageOf(plan),
          base_resp: BASE_RESP_OK,
        };
  frames.push({ data: JSON.stringify(final), paced: false });
  if (meta.variants.openaiDone) frames.push({ data: "[DONE]", paced: false });
  return frames;
}
