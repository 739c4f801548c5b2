import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client.ts";
import { metrics } from "@/lib/metrics";
import type { SessionBus } from "@/lib/realtime/bus";
import type { ProviderData, StepKind, StepNode, StepOrigin, StepStatus } from "@/lib/steps/types";

/**
 * Streams steps to the database and to viewers. A step's row is created when it opens,
 * its content is flushed at most every FLUSH_INTERVAL_MS while it streams and once when
 * it ends — never one write per token. Viewers get every delta at once through the bus.
 * A run's writes go through one queue, in order — a step's row must exist before its
 * children's (foreign key) and before its own updates. The first failed write is kept
 * and raised by `drain()`.
 */

export const FLUSH_INTERVAL_MS = 250;

/** Steps still streaming, per session: a new viewer's snapshot overlays them on the database rows. */
const globalForLive = globalThis as unknown as { liveSteps?: Map<string, Map<string, StepNode>> };
globalForLive.liveSteps ??= new Map();
const liveSteps = globalForLive.liveSteps;

export function liveStepsOf(sessionId: string): StepNode[] {
  return [...(liveSteps.get(sessionId)?.values() ?? [])];
}

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
  prisma: PrismaClient;
  bus: SessionBus;
}

export class StepWriter {
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(readonly context: StepWriterContext) {}

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
    return new LiveStep(this, node);
  }

  /** @internal queue a write after every earlier one of this run */
  enqueue(write: () => Promise<unknown>): Promise<void> {
    metrics.stepWrites += 1;
    this.chain = this.chain.then(write).then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    return this.chain;
  }

  /** Wait for every write; throws the first one that failed. */
  async drain(): Promise<void> {
    let settled: Promise<void>;
    do {
      settled = this.chain;
      await settled;
    } while (settled !== this.chain);
    if (this.failure) throw this.failure;
  }
}

export class LiveStep {
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private flushedLength = 0;
  private ended = false;

  constructor(
    private readonly writer: StepWriter,
    public node: StepNode,
  ) {
    const { prisma, bus, sessionId } = writer.context;
    const row = toRow(node);
    metrics.stepsCreated += 1;
    writer.enqueue(() => prisma.step.create({ data: row }));
    this.flushedLength = node.content.length;
    if (node.status === "streaming") {
      const live = liveSteps.get(sessionId) ?? new Map<string, StepNode>();
      liveSteps.set(sessionId, live);
      live.set(node.id, node);
    } else {
      this.ended = true;
    }
    bus.publish(sessionId, { type: "step.created", step: node });
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
    this.node = {
      ...this.node,
      content: this.node.content + text,
      firstTokenAt: this.node.firstTokenAt ?? new Date().toISOString(),
    };
    liveSteps.get(this.writer.context.sessionId)?.set(this.node.id, this.node);
    this.writer.context.bus.publish(this.writer.context.sessionId, {
      type: "step.delta",
      stepId: this.node.id,
      offset,
      text,
    });
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.node.content.length === this.flushedLength) return;
    const { content, firstTokenAt } = this.node;
    this.flushedLength = content.length;
    this.write({ content, firstTokenAt: firstTokenAt ? new Date(firstTokenAt) : null });
  }

  /** Close the step: one final write with everything, and a step.updated for viewers. */
  finish(patch: { status: StepStatus; content?: string; providerData?: ProviderData | null }): void {
    if (this.ended) return;
    this.ended = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.node = {
      ...this.node,
      status: patch.status,
      content: patch.content ?? this.node.content,
      providerData: patch.providerData === undefined ? this.node.providerData : patch.providerData,
      finishedAt: new Date().toISOString(),
    };
    this.flushedLength = this.node.content.length;
    const { sessionId, bus } = this.writer.context;
    const done = this.write(toRow(this.node));
    void done.finally(() => liveSteps.get(sessionId)?.delete(this.node.id));
    bus.publish(sessionId, { type: "step.updated", step: this.node });
  }

  /** Later facts about a finished step: its share of the turn's usage, the file it changed. */
  annotate(
    patch: Partial<Pick<StepNode, "inputTokens" | "outputTokens" | "reasoningTokens" | "costUsd" | "providerData">>,
  ): void {
    this.node = { ...this.node, ...patch };
    this.write({
      inputTokens: this.node.inputTokens,
      outputTokens: this.node.outputTokens,
      reasoningTokens: this.node.reasoningTokens,
      costUsd: this.node.costUsd,
      providerData: (this.node.providerData ?? undefined) as object | undefined,
    });
    this.writer.context.bus.publish(this.writer.context.sessionId, { type: "step.updated", step: this.node });
  }

  private write(data: Record<string, unknown>): Promise<void> {
    const { prisma } = this.writer.context;
    const id = this.node.id;
    return this.writer.enqueue(() => prisma.step.update({ where: { id }, data }));
  }
}

function toRow(node: StepNode) {
  return {
    id: node.id,
    sessionId: node.sessionId,
    parentId: node.parentId,
    runId: node.runId,
    kind: node.kind,
    origin: node.origin,
    status: node.status,
    content: node.content,
    turn: node.turn,
    providerData: (node.providerData ?? undefined) as object | undefined,
    editedFromId: node.editedFromId,
    inputTokens: node.inputTokens,
    outputTokens: node.outputTokens,
    reasoningTokens: node.reasoningTokens,
    costUsd: node.costUsd,
    createdAt: new Date(node.createdAt),
    firstTokenAt: node.firstTokenAt ? new Date(node.firstTokenAt) : null,
    finishedAt: node.finishedAt ? new Date(node.finishedAt) : null,
  };
}
