import type { LanguageModelV4FinishReason, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import type { ModelCallError } from "./errors";
import { miniMaxMetadata } from "./metadata";

export type Emit = (part: LanguageModelV4StreamPart) => void;

/** Ids that match start/delta/end parts within one response. */
export function partIdCounter(): () => string {
  let next = 0;
  return () => String(next++);
}

export function emitToolCallEnd(emit: Emit, call: { id: string; toolName: string; input: string }): void {
  emit({ type: "tool-input-end", id: call.id });
  emitToolCall(emit, call);
}

/**
 * The call itself, once its input is known to be complete. A call whose input the token
 * limit cut off gets its `tool-input-end` but never this part: it is shown, not run.
 */
export function emitToolCall(emit: Emit, call: { id: string; toolName: string; input: string }): void {
  emit({
    type: "tool-call",
    toolCallId: call.id,
    toolName: call.toolName,
    // the SDK needs JSON here even when the model sent nothing
    input: call.input || "{}",
    providerMetadata: miniMaxMetadata({ toolInput: call.input }),
  });
}

/** A tool call known in full at once: one recovered from XML in text. */
export function emitWholeToolCall(emit: Emit, call: { id: string; toolName: string; input: string }): void {
  emit({ type: "tool-input-start", id: call.id, toolName: call.toolName });
  if (call.input) emit({ type: "tool-input-delta", id: call.id, delta: call.input });
  emitToolCallEnd(emit, call);
}

export function mapFinishReason(raw: string | undefined, emittedToolCalls: boolean): LanguageModelV4FinishReason {
  switch (raw) {
    case "tool_use":
    case "tool_calls":
      return { unified: "tool-calls", raw };
    case "end_turn":
    case "stop":
    case "stop_sequence":
      // a tool call that leaked into text as XML still ends the turn with a call
      return { unified: emittedToolCalls ? "tool-calls" : "stop", raw };
    case "max_tokens":
    case "length":
      return { unified: "length", raw };
    case "content_filter":
    case "sensitive":
      return { unified: "content-filter", raw };
    default:
      return { unified: "other", raw };
  }
}

export interface TokenCounts {
  input?: number;
  cacheRead?: number;
  cacheWrite?: number;
  output?: number;
  reasoning?: number;
}

/** Input counts include cache reads and writes; output includes reasoning. */
export function toUsage(counts: TokenCounts, raw?: LanguageModelV4Usage["raw"]): LanguageModelV4Usage {
  const { input, cacheRead, cacheWrite, output, reasoning } = counts;
  const inputTotal = input === undefined ? undefined : input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  return {
    inputTokens: { total: inputTotal, noCache: input, cacheRead, cacheWrite },
    outputTokens: {
      total: output,
      text: output === undefined || reasoning === undefined ? undefined : output - reasoning,
      reasoning,
    },
    ...(raw && { raw }),
  };
}

/** Common life cycle of a wire parser: streaming until it finishes, fails, or the body ends. */
export abstract class WireStreamParser {
  status: "streaming" | "finished" | "failed" = "streaming";
  /** Whether any tool call was emitted, including ones recovered from text. */
  protected sawToolCall = false;

  constructor(private readonly sink: Emit) {}

  protected readonly emit: Emit = (part) => {
    if (part.type === "tool-call") this.sawToolCall = true;
    this.sink(part);
  };

  /** One parsed `data:` payload. */
  abstract push(frame: unknown): void;

  /** The body ended (or sent `[DONE]`). */
  abstract end(): void;

  fail(error: ModelCallError): void {
    if (this.status !== "streaming") return;
    this.status = "failed";
    this.emit({ type: "error", error });
  }
}
