import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client.ts";
import { metrics } from "@/lib/metrics";
import type { SessionBus } from "@/lib/realtime/bus";
import type { ProviderData, StepKind, StepNode, StepOrigin, StepStatus } from "@/lib/steps/types";

/**
 * Streams steps to the database and to viewers. A step's row is created when it opens;
 * after that its changes are written at most once per FLUSH_INTERVAL_MS (the last of
 * them within that interval of its end, or at once when the run drains) — never one
 * write per token, and a crash loses less than one interval. Viewers get every delta at
 * once through the bus.
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
  private unwritten = new Set<LiveStep>();

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

  /** @internal a step has changes waiting for its write timer */
  track(step: LiveStep): void {
    this.unwritten.add(step);
  }

  /** @internal */
  untrack(step: LiveStep): void {
    this.unwritten.delete(step);
  }

  /** Write every pending change now and wait for all writes; throws the first one that failed. */
  async drain(): Promise<void> {
    for (const step of [...this.unwritten]) step.writeNow();
    let settled: Promise<void>;
    do {
      settled = this.chain;
      await settled;
    } while (settled !== this.chain);
    if (this.failure) throw this.failure;
  }
}

/** The columns a step's later writes may change, with how each is stored. */
const MUTABLE_COLUMNS = {
  content: (node: StepNode) => node.content,
  status: (node: StepNode) => node.status,
  providerData: (node: StepNode) => (node.providerData ?? undefined) as object | undefined,
  firstTokenAt: (node: StepNode) => (node.firstTokenAt ? new Date(node.firstTokenAt) : null),
  finishedAt: (node: StepNode) => (node.finishedAt ? new Date(node.finishedAt) : null),
  inputTokens: (node: StepNode) => node.inputTokens,
  outputTokens: (node: StepNode) => node.outputTokens,
  reasoningTokens: (node: StepNode) => node.reasoningTokens,
  costUsd: (node: StepNode) => node.costUsd,
} satisfies Partial<Record<keyof StepNode, (node: StepNode) => unknown>>;

/** What changed between the last written state of a step and its current one. */
export function changedColumns(written: StepNode, current: StepNode): Record<string, unknown> | null {
  const data: Record<string, unknown> = {};
  for (const [column, read] of Object.entries(MUTABLE_COLUMNS)) {
    const key = column as keyof typeof MUTABLE_COLUMNS;
    if (written[key] !== current[key]) data[column] = read(current);
  }
  return Object.keys(data).length > 0 ? data : null;
}

/**
 * One step while its run is going. Every change reaches viewers at once; the database
 * gets the accumulated changes at most once per FLUSH_INTERVAL_MS (the end of a step and
 * its share of the turn's usage, arriving moments apart, land in one write).
 */
export class LiveStep {
  private writeTimer: ReturnType<typeof setTimeout> | null = null;
  private written: StepNode;
  private ended = false;

  constructor(
    private readonly writer: StepWriter,
    public node: StepNode,
  ) {
    const { prisma, bus, sessionId } = writer.context;
    const row = toRow(node);
    metrics.stepsCreated += 1;
    writer.enqueue(() => prisma.step.create({ data: row, select: { id: true } }));
    this.written = node;
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
    this.change({
      content: this.node.content + text,
      firstTokenAt: this.node.firstTokenAt ?? new Date().toISOString(),
    });
    this.writer.context.bus.publish(this.writer.context.sessionId, {
      type: "step.delta",
      stepId: this.node.id,
      offset,
      text,
    });
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
    this.writer.context.bus.publish(this.writer.context.sessionId, { type: "step.updated", step: this.node });
  }

  /** Later facts about a finished step: its share of the turn's usage, the file it changed. */
  annotate(
    patch: Partial<Pick<StepNode, "inputTokens" | "outputTokens" | "reasoningTokens" | "costUsd" | "providerData">>,
  ): void {
    this.change(patch);
    this.writer.context.bus.publish(this.writer.context.sessionId, { type: "step.updated", step: this.node });
  }

  private change(patch: Partial<StepNode>): void {
    this.node = { ...this.node, ...patch };
    // A step stays in the live map until its final state is written; keep that copy current.
    const live = liveSteps.get(this.writer.context.sessionId);
    if (live?.has(this.node.id)) live.set(this.node.id, this.node);
    if (this.writeTimer === null) {
      this.writeTimer = setTimeout(() => this.writeNow(), FLUSH_INTERVAL_MS);
      this.writer.track(this);
    }
  }

  /** @internal write what changed since the last write (the timer's job, or drain's). */
  writeNow(): void {
    if (this.writeTimer !== null) clearTimeout(this.writeTimer);
    this.writeTimer = null;
    this.writer.untrack(this);
    const data = changedColumns(this.written, this.node);
    if (!data) return;
    this.written = this.node;
    const { prisma, sessionId } = this.writer.context;
    const { id } = this.node;
    const settled = this.ended;
    void this.writer
      .enqueue(() => prisma.step.update({ where: { id }, data, select: { id: true } }))
      .then(() => {
        // once the database holds the final state, snapshots can read it from there
        if (settled) liveSteps.get(sessionId)?.delete(id);
      });
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
