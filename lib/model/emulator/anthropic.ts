import { parseJsonOr } from "@/lib/json";
import { BASE_RESP_OK, type ResponseMeta, type SseFrame } from "./frames";
import { signatureFor } from "./ids";
import { splitFragments, splitWords, type TurnPlan } from "./plan";
import { xmlToolCallBlock } from "./xml";

/** Anthropic-compatible route (`POST /anthropic/v1/messages`), minimax-wire.md §4. */

type Block =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; arguments: string };

/** Content blocks in the order the model produces them: reasoning, text, tool calls. */
function blocksOf(plan: TurnPlan, meta: ResponseMeta): Block[] {
  const blocks: Block[] = [];
  // a tool call leaking into the text as MiniMax's raw XML (minimax-wire §4, deviation 4)
  const xml = meta.variants.toolCalls === "xml" ? xmlToolCallBlock(plan.toolCalls) : "";
  const text = xml ? `${plan.text}${plan.text ? "\n" : ""}${xml}` : plan.text;
  if (meta.variants.thinkAsText && plan.thinking) {
    const close = plan.thinkingCut ? "" : "\n</think>\n\n";
    blocks.push({ type: "text", text: `<think>\n${plan.thinking}${close}${text}` });
  } else {
    if (plan.thinking)
      blocks.push({ type: "thinking", thinking: plan.thinking, signature: signatureFor(plan.thinking) });
    if (text) blocks.push({ type: "text", text });
  }
  if (!xml) for (const call of plan.toolCalls) blocks.push({ type: "tool_use", ...call });
  return blocks;
}

/** Calls leaked as XML text are not calls to the server: the turn just ends. */
function stopReason(plan: TurnPlan, meta: ResponseMeta): TurnPlan["stop"] {
  return plan.stop === "tool_use" && meta.variants.toolCalls === "xml" ? "end_turn" : plan.stop;
}

function usageOf(plan: TurnPlan) {
  return {
    input_tokens: plan.inputTokens,
    output_tokens: plan.outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

/** Non-streaming body. Key order follows MiniMax's documented example. */
function blockJson(block: Block, meta: ResponseMeta): object {
  switch (block.type) {
    case "thinking":
      return meta.variants.signature === "none"
        ? { thinking: block.thinking, type: "thinking" }
        : { thinking: block.thinking, signature: block.signature, type: "thinking" };
    case "text":
      return { type: "text", text: block.text };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: parseJsonOr(block.arguments, {}) };
  }
}

export function anthropicMessage(plan: TurnPlan, meta: ResponseMeta): object {
  const content = blocksOf(plan, meta).map((block) => blockJson(block, meta));
  return {
    id: meta.id,
    type: "message",
    role: "assistant",
    model: meta.model,
    content,
    usage: usageOf(plan),
    stop_reason: stopReason(plan, meta),
    base_resp: BASE_RESP_OK,
  };
}

const event = (data: { type: string } & Record<string, unknown>, paced = false): SseFrame => ({
  event: data.type,
  data: JSON.stringify(data),
  paced,
});

function blockStart(block: Block, meta: ResponseMeta): object {
  const repeat = meta.variants.startRepeatsText;
  switch (block.type) {
    case "thinking": {
      const thinking = repeat ? block.thinking : "";
      if (meta.variants.signature === "none") return { type: "thinking", thinking };
      return { type: "thinking", thinking, signature: meta.variants.signature === "start" ? block.signature : "" };
    }
    case "text":
      return { type: "text", text: repeat ? block.text : "" };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: {} };
  }
}

function blockDeltas(block: Block, wordsPerChunk: number): object[] {
  switch (block.type) {
    case "thinking":
      return splitWords(block.thinking, wordsPerChunk).map((thinking) => ({ type: "thinking_delta", thinking }));
    case "text":
      return splitWords(block.text, wordsPerChunk).map((text) => ({ type: "text_delta", text }));
    case "tool_use":
      return splitFragments(block.arguments, wordsPerChunk).map((partial_json) => ({
        type: "input_json_delta",
        partial_json,
      }));
  }
}

/** Streaming events: message_start, one start/deltas/stop group per block, message_delta, message_stop. */
export function anthropicFrames(plan: TurnPlan, meta: ResponseMeta, wordsPerChunk: number): SseFrame[] {
  const frames: SseFrame[] = [
    event({
      type: "message_start",
      message: {
        id: meta.id,
        type: "message",
        role: "assistant",
        model: meta.model,
        content: [],
        usage: { ...usageOf(plan), output_tokens: 0 },
        stop_reason: null,
      },
    }),
  ];
  blocksOf(plan, meta).forEach((block, index) => {
    frames.push(event({ type: "content_block_start", index, content_block: blockStart(block, meta) }));
    for (const delta of blockDeltas(block, wordsPerChunk)) {
      frames.push(event({ type: "content_block_delta", index, delta }, true));
    }
    if (block.type === "thinking" && meta.variants.signature === "delta") {
      frames.push(
        event({ type: "content_block_delta", index, delta: { type: "signature_delta", signature: block.signature } }),
      );
    }
    frames.push(event({ type: "content_block_stop", index }));
  });
  frames.push(
    event({
      type: "message_delta",
      delta: { stop_reason: stopReason(plan, meta) },
      usage: { output_tokens: plan.outputTokens },
    }),
    event({ type: "message_stop" }),
  );
  return frames;
}
