import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import type { ModelRoute, ProviderData, StepKind } from "@/lib/steps/types";

/**
 * Turns one model response's stream parts into steps: a thinking step opens at
 * reasoning-start, a text step at text-start, a tool_call step when a call's input starts.
 * The sink hangs each new step below the newest one, so a turn is a chain. The recorder
 * knows nothing about databases: it drives a `StepSink`, which the run loop backs with its
 * RunSteps (run-steps.ts) and tests back with an array.
 */

export interface SinkStep {
  readonly id: string;
  append(text: string): void;
  finish(patch: { status: "done" | "interrupted"; content?: string; providerData?: ProviderData | null }): void;
  /** a later fact about a finished step */
  annotate(patch: { providerData: ProviderData | null; status?: "interrupted" }): void;
}

/** Opens steps, each below the newest one it opened (or the step the turn continues). */
export interface StepSink {
  open(fields: { kind: StepKind; turn: number; providerData?: ProviderData | null }): SinkStep;
}

export interface RecordedToolCall {
  stepId: string;
  toolCallId: string;
  toolName: string;
  /** the arguments exactly as the model sent them */
  input: string;
}

interface MiniMaxMetadata {
  signature?: string;
  raw?: string;
  reasoningDetails?: unknown[];
  toolInput?: string;
  reasoningField?: ProviderData["reasoningField"];
}

function minimaxMetadata(part: { providerMetadata?: Record<string, Record<string, unknown>> }): MiniMaxMetadata {
  return (part.providerMetadata?.minimax ?? {}) as MiniMaxMetadata;
}

type PartMetadata = Record<string, Record<string, unknown>>;

/**
 * Another provider's part metadata (everything but MiniMax's, which has its own fields),
 * merged over what earlier parts of the same block said: Anthropic sends a thinking
 * block's signature on a delta, OpenAI its reasoning item's encrypted content at the end.
 */
function mergeForeignMetadata(into: PartMetadata, part: { providerMetadata?: PartMetadata }): void {
  for (const [provider, data] of Object.entries(part.providerMetadata ?? {})) {
    if (provider === "minimax" || typeof data !== "object" || data === null) continue;
    into[provider] = { ...into[provider], ...data };
  }
}

export class TurnRecorder {
  private readonly open = new Map<
    string,
    { step: SinkStep; kind: StepKind; providerData: ProviderData; foreign: PartMetadata }
  >();
  /** every step of the turn with the provider data it was finished with, for a late annotation */
  private readonly finished = new Map<string, { step: SinkStep; providerData: ProviderData }>();
  readonly steps: { id: string; kind: StepKind }[] = [];
  /** the output limit (max_tokens) ended the turn: its last step is cut short */
  cutAtLimit = false;
  readonly toolCalls: RecordedToolCall[] = [];
  finishReason: string | null = null;
  usage: Extract<LanguageModelV4StreamPart, { type: "finish" }>["usage"] | undefined;

  constructor(
    private readonly sink: StepSink,
    private readonly turn: number,
    private readonly route: ModelRoute,
  ) {}

  private start(key: string, kind: StepKind, providerData: ProviderData): SinkStep {
    const step = this.sink.open({ kind, turn: this.turn, providerData });
    this.open.set(key, { step, kind, providerData, foreign: {} });
    this.steps.push({ id: step.id, kind });
    return step;
  }

  private grow(key: string, text: string) {
    this.open.get(key)?.step.append(text);
  }

  private remember(key: string, part: { providerMetadata?: PartMetadata }) {
    const entry = this.open.get(key);
    if (entry) mergeForeignMetadata(entry.foreign, part);
  }

  private end(key: string, providerData: ProviderData, content?: string) {
    const entry = this.open.get(key);
    if (!entry) return;
    this.open.delete(key);
    const foreign = Object.keys(entry.foreign).length > 0 ? { providerMetadata: entry.foreign } : {};
    const data = { ...entry.providerData, ...foreign, ...providerData };
    entry.step.finish({ status: "done", content, providerData: data });
    this.finished.set(entry.step.id, { step: entry.step, providerData: data });
  }

  /** Feed one stream part. An error part's error is thrown as the provider gave it (a ModelCallError from MiniMax's). */
  accept(part: LanguageModelV4StreamPart): void {
    switch (part.type) {
      case "reasoning-start":
        this.start(`r:${part.id}`, "thinking", { route: this.route });
        this.remember(`r:${part.id}`, part);
        return;
      case "reasoning-delta":
        this.grow(`r:${part.id}`, part.delta);
        this.remember(`r:${part.id}`, part);
        return;
      case "reasoning-end": {
        this.remember(`r:${part.id}`, part);
        const meta = minimaxMetadata(part);
        this.end(`r:${part.id}`, {
          ...(meta.signature ? { signature: meta.signature } : {}),
          ...(meta.raw !== undefined ? { raw: meta.raw } : {}),
          ...(meta.reasoningDetails ? { reasoningDetails: meta.reasoningDetails } : {}),
          ...(meta.reasoningField ? { reasoningField: meta.reasoningField } : {}),
        });
        return;
      }
      case "text-start":
        this.start(`t:${part.id}`, "text", { route: this.route });
        this.remember(`t:${part.id}`, part);
        return;
      case "text-delta":
        this.grow(`t:${part.id}`, part.delta);
        return;
      case "text-end": {
        this.remember(`t:${part.id}`, part);
        const meta = minimaxMetadata(part);
        this.end(`t:${part.id}`, meta.raw !== undefined ? { raw: meta.raw } : {});
        return;
      }
      case "tool-input-start":
        this.start(`c:${part.id}`, "tool_call", { route: this.route, toolCallId: part.id, toolName: part.toolName });
        this.remember(`c:${part.id}`, part);
        return;
      case "tool-input-delta":
        this.grow(`c:${part.id}`, part.delta);
        return;
      case "tool-call": {
        const key = `c:${part.toolCallId}`;
        if (!this.open.has(key)) {
          this.start(key, "tool_call", { route: this.route, toolCallId: part.toolCallId, toolName: part.toolName });
        }
        this.remember(key, part);
        const input = minimaxMetadata(part).toolInput ?? part.input;
        const stepId = this.open.get(key)?.step.id ?? "";
        this.end(key, { toolCallId: part.toolCallId, toolName: part.toolName, toolInput: input }, input);
        this.toolCalls.push({ stepId, toolCallId: part.toolCallId, toolName: part.toolName, input });
        return;
      }
      case "finish":
        this.finishReason = part.finishReason.unified;
        this.usage = part.usage;
        if (part.finishReason.unified === "length") this.markCut();
        return;
      case "error":
        throw part.error instanceof Error ? part.error : new Error(String(part.error));
      default:
        return;
    }
  }

  /**
   * The output limit stopped the model mid-step. A tool call whose input it cut off (the
   * provider sent no tool-call part for it) becomes an interrupted step: shown, never run or
   * replayed. Otherwise the turn's last step (thinking or text) keeps its status and is
   * replayed as it is, so Continue picks up from it; both are marked `cutAtLimit`.
   */
  private markCut(): void {
    this.cutAtLimit = true;
    let cutCall = false;
    for (const [key, entry] of this.open) {
      if (entry.kind !== "tool_call") continue;
      this.open.delete(key);
      entry.step.finish({ status: "interrupted", providerData: { ...entry.providerData, cutAtLimit: true } });
      cutCall = true;
    }
    if (cutCall) return;
    const last = this.steps.at(-1);
    const done = last && this.finished.get(last.id);
    if (!last || !done) return;
    const providerData = { ...done.providerData, cutAtLimit: true };
    if (last.kind !== "tool_call") {
      done.step.annotate({ providerData });
      return;
    }
    // a provider that still sent the cut call as a call (the AI SDK's own providers do):
    // the same rule, it is not run
    done.step.annotate({ providerData, status: "interrupted" });
    const index = this.toolCalls.findIndex((call) => call.stepId === last.id);
    if (index >= 0) this.toolCalls.splice(index, 1);
  }
}
