import type { JSONObject, LanguageModelV4FunctionTool } from "@ai-sdk/provider";
import { ContentSplitter } from "./content-splitter";
import { baseRespError, droppedError, envelopeError, ModelCallError } from "./errors";
import { type JsonRecord as Frame, numberOrUndefined, record, stringOrEmpty as text } from "./json";
import { miniMaxMetadata } from "./metadata";
import {
  type Emit,
  emitToolCall,
  mapFinishReason,
  partIdCounter,
  type TokenCounts,
  toUsage,
  WireStreamParser,
} from "./stream-parts";

/**
 * Some MiniMax builds put the whole text in content_block_start and then stream the same
 * text again as deltas (minimax-wire §4, deviation 1). The start's text is shown at once;
 * deltas are passed on only where they go beyond it.
 */
export class StartTextEcho {
  private echoed = "";
  private start: string | undefined;

  constructor(start: string) {
    this.start = start || undefined;
  }

  /** The part of `delta` that is new. */
  filter(delta: string): string {
    if (this.start === undefined) return delta;
    this.echoed += delta;
    if (this.start.startsWith(this.echoed)) return "";
    const fresh = this.echoed.startsWith(this.start) ? this.echoed.slice(this.start.length) : this.echoed;
    this.start = undefined;
    return fresh;
  }
}

type Block =
  | { kind: "thinking"; id: string; echo: StartTextEcho; startSignature: string; signature: string }
  | { kind: "text"; splitter: ContentSplitter; echo: StartTextEcho }
  | { kind: "tool"; id: string; toolName: string; startInput: string; input: string };

/**
 * Anthropic-route SSE (minimax-wire §4) → AI SDK stream parts, one parsed `data:` payload
 * at a time. Tolerates start-text echoes, unsigned thinking, signatures carried only by
 * content_block_start, `<think>` inside text, and tool calls leaking into text as XML.
 */
export class AnthropicStreamParser extends WireStreamParser {
  private readonly blocks = new Map<number, Block>();
  private readonly nextId = partIdCounter();
  private readonly usage: Frame = {};
  private stopReason: string | undefined;
  /**
   * The latest tool call whose block stopped: its tool-call part waits for the next block or
   * the stop reason, since a call the token limit cut off must not be run.
   */
  private heldCall: { id: string; toolName: string; input: string } | undefined;

  constructor(
    emit: Emit,
    private readonly tools: readonly LanguageModelV4FunctionTool[] = [],
  ) {
    super(emit);
  }

  push(frame: unknown): void {
    if (this.status !== "streaming") return;
    const event = record(frame);
    const failure = baseRespError(event);
    if (failure) {
      this.fail(failure);
      return;
    }
    switch (event.type) {
      case "message_start": {
        const message = record(event.message);
        this.emit({
          type: "response-metadata",
          ...(typeof message.id === "string" && { id: message.id }),
          ...(typeof message.model === "string" && { modelId: message.model }),
        });
        this.addUsage(message.usage);
        break;
      }
      case "content_block_start":
        this.startBlock(Number(event.index), record(event.content_block));
        break;
      case "content_block_delta":
        this.blockDelta(Number(event.index), record(event.delta));
        break;
      case "content_block_stop":
        this.stopBlock(Number(event.index));
        break;
      case "message_delta":
        this.stopReason = text(record(event.delta).stop_reason) || this.stopReason;
        this.addUsage(event.usage);
        break;
      case "message_stop":
        this.finish();
        break;
      case "error":
        this.fail(
          envelopeError(event) ??
            new ModelCallError({ code: "upstream", message: "MiniMax reported an error mid-stream." }),
        );
        break;
    }
  }

  end(): void {
    this.fail(droppedError());
  }

  private finish(): void {
    for (const index of [...this.blocks.keys()]) this.stopBlock(index);
    // max_tokens with a tool call last: the limit ended its input; it stays a cut input
    if (this.stopReason === "max_tokens") this.heldCall = undefined;
    this.releaseHeldCall();
    const usage = this.usage;
    const counts: TokenCounts = {
      input: numberOrUndefined(usage.input_tokens),
      cacheRead: numberOrUndefined(usage.cache_read_input_tokens),
      cacheWrite: numberOrUndefined(usage.cache_creation_input_tokens),
      output: numberOrUndefined(usage.output_tokens),
    };
    this.emit({
      type: "finish",
      finishReason: mapFinishReason(this.stopReason, this.sawToolCall),
      usage: toUsage(counts, usage as JSONObject),
    });
    this.status = "finished";
  }

  private addUsage(value: unknown): void {
    for (const [key, count] of Object.entries(record(value))) {
      if (count !== null && count !== undefined) this.usage[key] = count;
    }
  }

  private releaseHeldCall(): void {
    if (this.heldCall) emitToolCall(this.emit, this.heldCall);
    this.heldCall = undefined;
  }

  private startBlock(index: number, block: Frame): void {
    this.stopBlock(index);
    this.releaseHeldCall();
    switch (block.type) {
      case "thinking": {
        const id = this.nextId();
        const start = text(block.thinking);
        this.blocks.set(index, {
          kind: "thinking",
          id,
          echo: new StartTextEcho(start),
          startSignature: text(block.signature),
          signature: "",
        });
        this.emit({ type: "reasoning-start", id });
        if (start) this.emit({ type: "reasoning-delta", id, delta: start });
        break;
      }
      case "text": {
        const start = text(block.text);
        const splitter = new ContentSplitter({
          emit: this.emit,
          nextId: this.nextId,
          initial: "detect",
          untagged: "text",
          recordRaw: false,
          xmlTools: this.tools,
        });
        this.blocks.set(index, { kind: "text", splitter, echo: new StartTextEcho(start) });
        splitter.push(start);
        break;
      }
      case "tool_use": {
        const id = text(block.id) || this.nextId();
        const toolName = text(block.name);
        const startInput = record(block.input);
        this.blocks.set(index, {
          kind: "tool",
          id,
          toolName,
          startInput: Object.keys(startInput).length ? JSON.stringify(startInput) : "",
          input: "",
        });
        this.emit({ type: "tool-input-start", id, toolName });
        break;
      }
    }
  }

  private blockDelta(index: number, delta: Frame): void {
    // a delta without its content_block_start: open the block it implies
    if (!this.blocks.has(index)) {
      if (delta.type === "thinking_delta") this.startBlock(index, { type: "thinking" });
      if (delta.type === "text_delta") this.startBlock(index, { type: "text" });
    }
    const block = this.blocks.get(index);
    if (!block) return;
    switch (delta.type) {
      case "thinking_delta":
        if (block.kind === "thinking") {
          const fresh = block.echo.filter(text(delta.thinking));
          if (fresh) this.emit({ type: "reasoning-delta", id: block.id, delta: fresh });
        }
        break;
      case "signature_delta":
        if (block.kind === "thinking") block.signature += text(delta.signature);
        break;
      case "text_delta":
        if (block.kind === "text") block.splitter.push(block.echo.filter(text(delta.text)));
        break;
      case "input_json_delta":
        if (block.kind === "tool") {
          const fragment = text(delta.partial_json);
          block.input += fragment;
          if (fragment) this.emit({ type: "tool-input-delta", id: block.id, delta: fragment });
        }
        break;
    }
  }

  private stopBlock(index: number): void {
    const block = this.blocks.get(index);
    if (!block) return;
    this.blocks.delete(index);
    switch (block.kind) {
      case "thinking": {
        const signature = block.signature || block.startSignature;
        this.emit({
          type: "reasoning-end",
          id: block.id,
          ...(signature && { providerMetadata: miniMaxMetadata({ signature }) }),
        });
        break;
      }
      case "text":
        block.splitter.finish();
        break;
      case "tool": {
        // the whole input came in content_block_start and no delta followed
        if (!block.input && block.startInput) {
          block.input = block.startInput;
          this.emit({ type: "tool-input-delta", id: block.id, delta: block.input });
        }
        this.emit({ type: "tool-input-end", id: block.id });
        this.releaseHeldCall();
        this.heldCall = { id: block.id, toolName: block.toolName, input: block.input };
        break;
      }
    }
  }
}

/** A non-streaming Messages response replayed as the events it would have streamed. */
export function anthropicMessageEvents(message: unknown): Frame[] {
  const body = record(message);
  const content = Array.isArray(body.content) ? body.content.map(record) : [];
  const events: Frame[] = [{ type: "message_start", message: { id: body.id, model: body.model, usage: body.usage } }];
  content.forEach((block, index) => {
    switch (block.type) {
      case "thinking":
        events.push(
          {
            type: "content_block_start",
            index,
            content_block: { type: "thinking", thinking: "", signature: text(block.signature) },
          },
          { type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: text(block.thinking) } },
        );
        break;
      case "text":
        events.push(
          { type: "content_block_start", index, content_block: { type: "text", text: "" } },
          { type: "content_block_delta", index, delta: { type: "text_delta", text: text(block.text) } },
        );
        break;
      case "tool_use":
        events.push({ type: "content_block_start", index, content_block: block });
        break;
    }
    events.push({ type: "content_block_stop", index });
  });
  events.push(
    { type: "message_delta", delta: { stop_reason: body.stop_reason }, usage: body.usage },
    { type: "message_stop" },
  );
  return events;
}
