import "server-only";
import { randomUUID } from "node:crypto";
import { MAX_WRITE_ATTEMPTS, type StepRowOwner, type StepRowQueue } from "@/lib/db/step-rows";
import { metrics } from "@/lib/metrics";
import { processState } from "@/lib/process-state";
import type { EventBus } from "@/lib/realtime/bus";
import type { ProviderData, StepKind, StepNode, StepOrigin, StepStatus } from "@/lib/steps/types";

/**
 * Streams steps to viewers and to the database. Viewers get every change at once through
 * the bus; the database gets each step's latest state through the process's step row
 * queue, at most once per write interval (STEP_WRITE_INTERVAL_MS) — never one write per
 * token, and a crash loses less than one interval. Until a step's latest state is in its
 * row, the queue holds it as pending, and every read of the session's steps sees it
 * (lib/db/steps.ts).
 */

/** Step events reach the database with the queue's next write, after viewers saw them. */
const UNFLUSHED = { unflushed: true };

export interface OpenStep {
  kind: StepKind;
  parentId: string | null;
  turn: number | null;
  origin?: StepOrigin;
  status?: StepStatus;
  content?: string;
  providerData?: ProviderData | null;
  editedFromId?: string | null;
}

export interface StepWriterContext {
  sessionId: string;
  runId: string | null;
  stepRows: StepRowQueue;
  bus: EventBus;
  /** called once, with the error, when a step's state could not be written after its tries */
  onFailure?: (error: unknown) => void;
}

/** A run's steps: opens them, and knows which of their writes failed. */
export class StepWriter implements StepRowOwner {
  private failure: unknown = null;
  /** each step's latest state not yet written (queued, on its way, or being retried) */
  private readonly pending = new Map<string, StepNode>();
  /** steps whose latest state could not be written (after the queue's tries) */
  private readonly unsavedSteps = new Map<string, StepNode>();

  constructor(readonly context: StepWriterContext) {
    context.bus.watchStepWrites(context.stepRows);
  }

  open(fields: OpenStep): LiveStep {
    const now = new Date().toISOString();
    const node: StepNode = {
      id: randomUUID(),
      sessionId: this.context.sessionId,
      parentId: fields.parentId,
      runId: this.context.runId,
      kind: fields.kind,
      origin: fields.origin ?? "model",
      status: fields.status ?? "streaming",
      content: fields.content ?? "",
      turn: fields.turn,
      providerData: fields.providerData ?? null,
      editedFromId: fields.editedFromId ?? null,
      inputTokens: null,
      outputTokens: null,
      reasoningTokens: null,
      costUsd: null,
      createdAt: now,
      firstTokenAt: null,
      finishedAt: fields.status && fields.status !== "streaming" ? now : null,
    };
    metrics.stepsCreated += 1;
    const step = new LiveStep(this, node);
    this.context.bus.publish(this.context.sessionId, { type: "step.created", step: node }, UNFLUSHED);
    return step;
  }

  /** A finished step from before this run, taken on as the run's own (see `RunSteps.adopt`). */
  adopt(node: StepNode): LiveStep {
    return new LiveStep(this, node);
  }

  /** @internal a step changed: readers see it now (the queue holds it as pending), its row within the interval */
  save(step: StepNode, order: number): void {
    this.pending.set(step.id, step);
    this.unsavedSteps.delete(step.id);
    this.context.stepRows.put(step, order, this);
  }

  /** @internal the queue wrote this state of a step */
  written(step: StepNode): void {
    if (this.pending.get(step.id) !== step) return; // a newer state is still on its way
    this.pending.delete(step.id);
  }

  /** @internal the queue could not write it, after its tries: the run must stop and say so */
  failed(step: StepNode, error: unknown): void {
    if (this.pending.get(step.id) !== step) return;
    this.pending.delete(step.id);
    this.unsavedSteps.set(step.id, step);
    if (this.failure) return;
    this.failure = error;
    this.context.onFailure?.(error);
  }

  /**
   * Write every change now and wait until each step's latest state is written or has
   * failed all its tries. Answers the steps that could not be written (the queue lets go
   * of them: the caller tells viewers what the database holds instead).
   */
  async drain(): Promise<StepNode[]> {
    // each flush writes or uses up one try of every state still pending
    for (let round = 0; this.pending.size > 0 && round <= MAX_WRITE_ATTEMPTS; round++) {
      await this.context.stepRows.flush();
    }
    const unsaved = [...this.unsavedSteps.values(), ...this.pending.values()];
    this.context.stepRows.release(unsaved);
    return unsaved;
  }
}

/**
 * The next creation order in this process: one counter for every module copy (route
 * bundles, the instrumentation hook), whose steps all go through the same write-behind queue.
 */
function nextStepOrder(): number {
  const state = processState();
  const order = state.nextStepOrder ?? 0;
  state.nextStepOrder = order + 1;
  return order;
}

/**
 * One step while its run is going. Every change reaches viewers at once; the database
 * gets the latest state with the queue's next write (the end of a step and its share of
 * the turn's usage, arriving moments apart, land in one write).
 */
export class LiveStep {
  /** creation order in this process: the queue writes a new parent before its children */
  private readonly order = nextStepOrder();
  private ended: boolean;

  constructor(
    private readonly writer: StepWriter,
    public node: StepNode,
  ) {
    this.ended = node.status !== "streaming";
    writer.save(node, this.order);
  }

  get id(): string {
    return this.node.id;
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  append(text: string): void {
    if (this.ended || text === "") return;
    const offset = this.node.content.length;
    this.change({
      content: this.node.content + text,
      firstTokenAt: this.node.firstTokenAt ?? new Date().toISOString(),
    });
    this.writer.context.bus.publish(
      this.writer.context.sessionId,
      {
        type: "step.delta",
        stepId: this.node.id,
        offset,
        text,
      },
      UNFLUSHED,
    );
  }

  /** Close the step: viewers get its final state now, the database with the next write. */
  finish(patch: { status: StepStatus; content?: string; providerData?: ProviderData | null }): void {
    if (this.ended) return;
    this.ended = true;
    this.change({
      status: patch.status,
      content: patch.content ?? this.node.content,
      providerData: patch.providerData === undefined ? this.node.providerData : patch.providerData,
      finishedAt: new Date().toISOString(),
    });
    this.writer.context.bus.publish(
      this.writer.context.sessionId,
      { type: "step.updated", step: this.node },
      UNFLUSHED,
    );
  }

  /**
   * Later facts about a finished step: its share of the turn's usage, the file it changed,
   * or that the output limit cut it (a tool call then becomes `interrupted`).
   */
  annotate(
    patch: Partial<
      Pick<StepNode, "inputTokens" | "outputTokens" | "reasoningTokens" | "costUsd" | "providerData" | "status">
    >,
  ): void {
    this.change(patch);
    this.writer.context.bus.publish(
      this.writer.context.sessionId,
      { type: "step.updated", step: this.node },
      UNFLUSHED,
    );
  }

  private change(patch: Partial<StepNode>): void {
    this.node = { ...this.node, ...patch };
    this.writer.save(this.node, this.order);
  }
}
