import type { JSONObject, LanguageModelV4FunctionTool } from "@ai-sdk/provider";
import { generateId } from "@ai-sdk/provider-utils";
import { ContentSplitter } from "./content-splitter";
import { baseRespError, droppedError, envelopeError } from "./errors";
import { type JsonRecord as Frame, numberOrUndefined, record } from "./json";
import { miniMaxMetadata, REASONING_FIELDS, type ReasoningField } from "./metadata";
import { type Emit, emitToolCallEnd, mapFinishReason, partIdCounter, toUsage, WireStreamParser } from "./stream-parts";

interface ToolCallState {
  id: string;
  toolName: string;
  input: string;
  started: boolean;
}

interface ReasoningDetailsState {
  id: string;
  text: string;
  /** the first fragment's fields (type, id, format, index), replayed with the full text */
  fields: Frame;
}

export interface OpenAIStreamOptions {
  /** detect: look for `<think>`; thinking: a prefill left the think open; text: a prefill after the think. */
  initial: "detect" | "thinking" | "text";
  /** reasoning_split was requested, so untagged content is the answer. */
  reasoningSplit: boolean;
  /** The request's tools: MiniMax's XML tool-call format in content is read as calls to them. */
  tools?: readonly LanguageModelV4FunctionTool[];
}

interface FieldReasoningState {
  id: string;
  field: ReasoningField;
}

/**
 * OpenAI-route SSE (minimax-wire §5) → AI SDK stream parts, one parsed `data:` payload at
 * a time. `<think>` in content is split into reasoning and text with each part's exact
 * characters kept as `raw`; reasoning_details (incremental or cumulative) become reasoning;
 * tool calls are assembled by index. A final whole `chat.completion` frame only adds what
 * the deltas did not already carry.
 *
 * Self-hosted servers (minimax-wire §5–6): a vLLM/SGLang reasoning parser sends the
 * reasoning in `reasoning_content` (newer vLLM: `reasoning`) and only the answer in content;
 * the reasoning becomes a thinking part that remembers its field for the replay. Without a
 * tool parser, calls arrive as `<minimax:tool_call>` XML inside content; they are parsed
 * into tool calls (the same parser as the Anthropic route) and kept out of the text.
 */
export class OpenAIStreamParser extends WireStreamParser {
  private readonly nextId = partIdCounter();
  private readonly content: ContentSplitter;
  private contentSoFar = "";
  /** all reasoning_details text so far, the buffer cumulative fragments are compared with */
  private detailsSoFar = "";
  private details: ReasoningDetailsState | undefined;
  private fieldReasoning: FieldReasoningState | undefined;
  /** all reasoning_content/reasoning text so far, to spot a final message repeating it */
  private fieldSoFar = "";
  private readonly toolCalls = new Map<number, ToolCallState>();
  private finishReason: string | undefined;
  private usage: Frame | undefined;
  private sawResponse = false;

  constructor(emit: Emit, options: OpenAIStreamOptions) {
    super(emit);
    this.content = new ContentSplitter({
      emit: this.emit,
      nextId: this.nextId,
      initial: options.initial,
      untagged: options.reasoningSplit ? "text" : "thinking",
      recordRaw: true,
      xmlTools: options.tools ?? [],
    });
  }

  push(frame: unknown): void {
    if (this.status !== "streaming") return;
    const chunk = record(frame);
    const failure = baseRespError(chunk) ?? (chunk.error ? envelopeError(chunk) : undefined);
    if (failure) {
      this.fail(failure);
      return;
    }
    if (!this.sawResponse && typeof chunk.id === "string") {
      this.sawResponse = true;
      this.emit({
        type: "response-metadata",
        id: chunk.id,
        ...(typeof chunk.model === "string" && { modelId: chunk.model }),
        ...(typeof chunk.created === "number" && { timestamp: new Date(chunk.created * 1000) }),
      });
    }
    const usage = record(chunk.usage);
    // some chunks carry a placeholder {total_tokens: 0}
    const realUsage = typeof usage.prompt_tokens === "number" || typeof usage.completion_tokens === "number";
    if (realUsage) this.usage = usage;
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices.map(record) : []) {
      if (choice.message) this.applyMessage(record(choice.message));
      else this.applyDelta(record(choice.delta));
      if (typeof choice.finish_reason === "string" && choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    // usage after the finish reason is the last frame; `[DONE]` may never come
    if (realUsage && this.finishReason !== undefined) this.end();
  }

  end(): void {
    if (this.status !== "streaming") return;
    if (this.finishReason === undefined) {
      this.fail(droppedError());
      return;
    }
    this.closeContent();
    // `length` with tool calls: the limit ended the last call's arguments; it is not a call
    const cutIndex = this.finishReason === "length" ? Math.max(...this.toolCalls.keys()) : undefined;
    for (const [index, call] of this.toolCalls) {
      this.startToolCall(call);
      if (index === cutIndex) this.emit({ type: "tool-input-end", id: call.id });
      else emitToolCallEnd(this.emit, call);
    }
    this.emit({
      type: "finish",
      finishReason: mapFinishReason(this.finishReason, this.sawToolCall),
      usage: this.tokenUsage(),
    });
    this.status = "finished";
  }

  private applyDelta(delta: Frame): void {
    if (Array.isArray(delta.reasoning_details)) this.reasoningDetails(delta.reasoning_details);
    for (const field of REASONING_FIELDS) {
      const text = delta[field];
      if (typeof text === "string" && text) this.fieldReasoningDelta(field, text);
    }
    if (typeof delta.content === "string" && delta.content) this.contentDelta(delta.content);
    if (Array.isArray(delta.tool_calls)) {
      this.closeContent();
      for (const fragment of delta.tool_calls) this.toolCallDelta(record(fragment));
    }
  }

  /** A whole message repeats what was streamed; take only what is new. */
  private applyMessage(message: Frame): void {
    if (Array.isArray(message.reasoning_details)) this.reasoningDetails(message.reasoning_details);
    for (const field of REASONING_FIELDS) {
      const text = message[field];
      if (typeof text !== "string" || !text.startsWith(this.fieldSoFar)) continue;
      const fresh = text.slice(this.fieldSoFar.length);
      if (fresh) this.fieldReasoningDelta(field, fresh);
    }
    if (typeof message.content === "string" && message.content.startsWith(this.contentSoFar)) {
      this.contentDelta(message.content.slice(this.contentSoFar.length));
    }
    if (Array.isArray(message.tool_calls) && this.toolCalls.size === 0) {
      this.closeContent();
      message.tool_calls.forEach((fragment, index) => {
        this.toolCallDelta({ index, ...record(fragment) });
      });
    }
  }

  private contentDelta(content: string): void {
    if (!content) return;
    if (this.details || this.fieldReasoning) {
      this.closeReasoningDetails();
      this.closeFieldReasoning();
      this.content.reasoningArrivedElsewhere();
    }
    this.contentSoFar += content;
    this.content.push(content);
  }

  /** Fragments may be incremental or cumulative: one that starts with the buffer adds only its suffix. */
  private reasoningDetails(fragments: unknown[]): void {
    // the content already showed this reasoning as <think>: a second copy is not a second step
    if (this.content.sawThinking) return;
    for (const fragment of fragments.map(record)) {
      if (typeof fragment.text !== "string") continue;
      const known = this.detailsSoFar;
      const fresh = known && fragment.text.startsWith(known) ? fragment.text.slice(known.length) : fragment.text;
      if (!fresh) continue;
      this.detailsSoFar += fresh;
      if (!this.details) {
        this.details = { id: this.nextId(), text: "", fields: fragment };
        this.emit({ type: "reasoning-start", id: this.details.id });
      }
      this.details.text += fresh;
      this.emit({ type: "reasoning-delta", id: this.details.id, delta: fresh });
    }
  }

  private closeReasoningDetails(): void {
    const details = this.details;
    if (!details) return;
    this.emit({
      type: "reasoning-end",
      id: details.id,
      providerMetadata: miniMaxMetadata({ reasoningDetails: [{ ...details.fields, text: details.text }] }),
    });
    this.details = undefined;
  }

  /** Reasoning on its own channel: content, when it comes, is the answer. */
  private fieldReasoningDelta(field: ReasoningField, text: string): void {
    if (this.content.sawThinking) return;
    if (!this.fieldReasoning) {
      this.fieldReasoning = { id: this.nextId(), field };
      this.content.reasoningArrivedElsewhere();
      this.emit({ type: "reasoning-start", id: this.fieldReasoning.id });
    }
    this.fieldSoFar += text;
    this.emit({ type: "reasoning-delta", id: this.fieldReasoning.id, delta: text });
  }

  private closeFieldReasoning(): void {
    const reasoning = this.fieldReasoning;
    if (!reasoning) return;
    this.emit({
      type: "reasoning-end",
      id: reasoning.id,
      providerMetadata: miniMaxMetadata({ reasoningField: reasoning.field }),
    });
    this.fieldReasoning = undefined;
  }

  private closeContent(): void {
    this.closeReasoningDetails();
    this.closeFieldReasoning();
    this.content.finish();
  }

  private toolCallDelta(fragment: Frame): void {
    const index = numberOrUndefined(fragment.index) ?? this.toolCalls.size;
    let call = this.toolCalls.get(index);
    if (!call) {
      call = { id: "", toolName: "", input: "", started: false };
      this.toolCalls.set(index, call);
    }
    const fn = record(fragment.function);
    if (!call.started) {
      if (typeof fragment.id === "string" && fragment.id) call.id = fragment.id;
      if (typeof fn.name === "string" && fn.name) call.toolName = fn.name;
    }
    const args = typeof fn.arguments === "string" ? fn.arguments : "";
    call.input += args;
    if (call.started) {
      if (args) this.emit({ type: "tool-input-delta", id: call.id, delta: args });
    } else if (call.toolName) {
      this.startToolCall(call);
    }
  }

  private startToolCall(call: ToolCallState): void {
    if (call.started) return;
    call.started = true;
    call.id ||= `call_${generateId()}`;
    this.emit({ type: "tool-input-start", id: call.id, toolName: call.toolName });
    if (call.input) this.emit({ type: "tool-input-delta", id: call.id, delta: call.input });
  }

  private tokenUsage() {
    const usage = this.usage ?? {};
    const prompt = numberOrUndefined(usage.prompt_tokens);
    const cached = numberOrUndefined(record(usage.prompt_tokens_details).cached_tokens);
    return toUsage(
      {
        input: prompt === undefined ? undefined : prompt - (cached ?? 0),
        cacheRead: cached,
        output: numberOrUndefined(usage.completion_tokens),
        reasoning: numberOrUndefined(record(usage.completion_tokens_details).reasoning_tokens),
      },
      this.usage as JSONObject | undefined,
    );
  }
}
