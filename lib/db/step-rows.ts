import { metrics } from "@/lib/metrics";
import type { StepNode } from "@/lib/steps/types";
import { toStepColumns } from "./mappers";
import type { RawQuery } from "./sql";

/**
 * Write-behind for the rows of streaming steps, shared by every run in the process.
 * A step's latest state is queued on each change; once per interval the queue goes to
 * the database as one statement for all runs: 50 concurrent runs cost a few statements a
 * second instead of hundreds, and a crash still loses less than one interval. A streaming
 * step's text only grows, so a row already written gets just the text added since.
 *
 * Until its row holds it, a step's latest state is pending here, and every read of a
 * session's steps lays the pending states over the rows (lib/db/steps.ts): whichever door
 * a request comes in by, it reads what was written, even before the write.
 */

/** Every column of a step row with its SQL type, in the table's order. */
const STEP_COLUMNS = [
  ["id", "text"],
  ["sessionId", "text"],
  ["parentId", "text"],
  ["runId", "text"],
  ["kind", "text"],
  ["origin", "text"],
  ["status", "text"],
  ["content", "text"],
  ["turn", "integer"],
  ["providerData", "jsonb"],
  ["editedFromId", "text"],
  ["inputTokens", "integer"],
  ["outputTokens", "integer"],
  ["reasoningTokens", "integer"],
  ["reasoningEstimated", "boolean"],
  ["costUsd", "double precision"],
  ["createdAt", "timestamp(3)"],
  ["firstTokenAt", "timestamp(3)"],
  ["finishedAt", "timestamp(3)"],
] as const satisfies ReadonlyArray<readonly [keyof StepNode, string]>;

/** What a step may still change after its row exists, besides its content. */
const MUTABLE_COLUMNS: ReadonlyArray<keyof StepNode> = [
  "status",
  "providerData",
  "inputTokens",
  "outputTokens",
  "reasoningTokens",
  "reasoningEstimated",
  "costUsd",
  "firstTokenAt",
  "finishedAt",
];

const quoted = (column: string) => `"${column}"`;
const COLUMN_LIST = STEP_COLUMNS.map(([name]) => quoted(name)).join(", ");

/**
 * One statement whose only parameter is the rows as JSON (see `StepRow`). Rows marked
 * `appended` exist already and get their content extended; the others are inserted, or
 * replace the row they conflict with. Timestamps are ISO strings in UTC, which
 * `timestamp(3)` stores as written, as Prisma does. Foreign keys are checked at the end
 * of the statement, so a new step may come in the same batch as its new parent.
 */
export const WRITE_STEPS_SQL = `WITH batch AS (
  SELECT * FROM json_to_recordset($1::json)
    AS row(${STEP_COLUMNS.map(([name, type]) => `${quoted(name)} ${type}`).join(", ")}, "appended" boolean)
), whole AS (
  INSERT INTO "Step" (${COLUMN_LIST})
  SELECT ${COLUMN_LIST} FROM batch WHERE NOT batch."appended"
  ON CONFLICT ("id") DO UPDATE SET "content" = EXCLUDED."content", ${MUTABLE_COLUMNS.map((name) => `${quoted(name)} = EXCLUDED.${quoted(name)}`).join(", ")}
)
UPDATE "Step" AS step SET "content" = step."content" || batch."content", ${MUTABLE_COLUMNS.map((name) => `${quoted(name)} = batch.${quoted(name)}`).join(", ")}
FROM batch WHERE batch."appended" AND step."id" = batch."id"`;

/**
 * A step as the statement takes it: whole, or only the text added since `written`, with
 * its model output escaped for storage (`toStepColumns`). The escape works per code unit,
 * so the escaped addition appended to the escaped row decodes to the whole text.
 */
export type StepRow = StepNode & { appended: boolean };

export function toStepRow(step: StepNode, written: string | undefined): StepRow {
  if (written !== undefined && step.content.startsWith(written)) {
    return { ...toStepColumns({ ...step, content: step.content.slice(written.length) }), appended: true };
  }
  return { ...toStepColumns(step), appended: false };
}

/**
 * A session's step rows with the newer states the queue holds laid over them: a pending
 * state replaces its row, and a step without a row yet comes after the rows.
 */
export function overlayPending(rows: readonly StepNode[], pending: readonly StepNode[]): StepNode[] {
  if (pending.length === 0) return [...rows];
  const newer = new Map(pending.map((step) => [step.id, step]));
  const steps = rows.map((row) => {
    const state = newer.get(row.id);
    newer.delete(row.id);
    return state ?? row;
  });
  return steps.concat([...newer.values()]);
}

/** Who queued a step, told when its state reached the database or could not. */
export interface StepRowOwner {
  written(step: StepNode): void;
  failed(step: StepNode, error: unknown): void;
}

/**
 * Told around each write of the queue. The Redis event bus uses it to know which of its
 * events' effects the database holds (lib/realtime/redis-bus.ts).
 */
export interface StepWriteObserver {
  /** A write of everything queued for these sessions starts; returns what to call when it ended. */
  writing(sessionIds: ReadonlySet<string>): (failed: ReadonlySet<string>) => void;
}

interface Queued {
  step: StepNode;
  /** creation order: a new parent is written before its new children */
  order: number;
  owner: StepRowOwner;
  /** writes of this state that failed so far */
  attempts: number;
}

/**
 * Tries of one state of a step before its owner is told it could not be written: a
 * failed state is queued again for the next write (a newer state of the step replaces
 * it and starts over), so a dropped connection or a deadlock costs a retry, not the run.
 */
export const MAX_WRITE_ATTEMPTS = 3;

/** Rows per statement: keeps one flush's parameter and its CPU burst bounded. */
export const MAX_ROWS_PER_STATEMENT = 500;

export class StepRowQueue {
  private queued = new Map<string, Queued>();
  /**
   * Each step's latest state its row doesn't hold yet, by session: queued, being written,
   * waiting for a retry, or failed for good until its owner releases it.
   */
  private pending = new Map<string, Map<string, StepNode>>();
  /** the content each streaming step's row holds, so the next write sends only what was added */
  private writtenContent = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private observer: StepWriteObserver | null = null;

  constructor(
    private readonly query: RawQuery,
    private readonly intervalMs: number,
  ) {}

  /**
   * Queue a step's current state (replacing any state of it still waiting) to be written
   * within the interval. `order` is the step's creation order, fixed for its lifetime.
   */
  put(step: StepNode, order: number, owner: StepRowOwner): void {
    let steps = this.pending.get(step.sessionId);
    if (!steps) {
      steps = new Map();
      this.pending.set(step.sessionId, steps);
    }
    steps.set(step.id, step);
    this.enqueue({ step, order, owner, attempts: 0 });
  }

  /**
   * The latest state of each of the session's steps that its row doesn't hold yet, in
   * the order they were first queued. Taken before reading the rows, it misses nothing:
   * a state that leaves it was written first.
   */
  pendingOf(sessionId: string): StepNode[] {
    return [...(this.pending.get(sessionId)?.values() ?? [])];
  }

  /** Whether the queue holds a state of the session's step `stepId` its row doesn't have yet (it may have no row). */
  holds(sessionId: string, stepId: string): boolean {
    return this.pending.get(sessionId)?.has(stepId) ?? false;
  }

  /**
   * The owner gives up these states (their writes failed for good, or it stopped waiting
   * for them): readers see what the rows hold again.
   */
  release(steps: readonly StepNode[]): void {
    for (const step of steps) this.settle(step);
  }

  /** Drops a state from pending unless a newer state of the step took its place. */
  private settle(step: StepNode): void {
    const steps = this.pending.get(step.sessionId);
    if (steps?.get(step.id) !== step) return;
    steps.delete(step.id);
    if (steps.size === 0) this.pending.delete(step.sessionId);
  }

  private enqueue(entry: Queued): void {
    this.queued.set(entry.step.id, entry);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.intervalMs);
  }

  /** Tell `observer` about every write from now on (one observer per queue). */
  observe(observer: StepWriteObserver): void {
    this.observer = observer;
  }

  /** Write everything queued now; resolves when it (and any flush before it) is done. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing = this.flushing.then(() => this.writeQueued());
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    const batch = [...this.queued.values()].sort((a, b) => a.order - b.order);
    this.queued.clear();
    if (batch.length === 0) return;
    const ended = this.observer?.writing(new Set(batch.map(({ step }) => step.sessionId)));
    const failed = new Set<string>();
    for (let start = 0; start < batch.length; start += MAX_ROWS_PER_STATEMENT) {
      await this.writeBatch(batch.slice(start, start + MAX_ROWS_PER_STATEMENT), failed);
    }
    ended?.(failed);
  }

  /**
   * One statement for the batch. If it fails, each owner's rows are tried on their own,
   * then each row alone, so one bad row (its session deleted under it, a row the database
   * refuses) fails only itself and the steps below it; a row that still fails is retried
   * with the next write, up to MAX_WRITE_ATTEMPTS.
   */
  private async writeBatch(batch: Queued[], failed: Set<string>): Promise<void> {
    try {
      await this.send(batch);
      for (const { step, owner } of batch) {
        if (step.status === "streaming") this.writtenContent.set(step.id, step.content);
        else this.writtenContent.delete(step.id);
        this.settle(step);
        owner.written(step);
      }
      return;
    } catch (error) {
      if (batch.length === 1) {
        for (const entry of batch) this.retryOrFail(entry, error, failed);
        return;
      }
    }
    const groups = groupByOwner(batch);
    if (groups.length > 1) for (const group of groups) await this.writeBatch(group, failed);
    else for (const entry of batch) await this.writeBatch([entry], failed);
  }

  /** A failed state goes again with the next write, unless a newer one is waiting or it has had its tries. */
  private retryOrFail(entry: Queued, error: unknown, failed: Set<string>): void {
    failed.add(entry.step.sessionId);
    if (this.queued.has(entry.step.id)) return;
    if (entry.attempts + 1 < MAX_WRITE_ATTEMPTS) this.enqueue({ ...entry, attempts: entry.attempts + 1 });
    else {
      this.writtenContent.delete(entry.step.id);
      entry.owner.failed(entry.step, error);
    }
  }

  /** Whether a state of this step is waiting for a write (a first one, or a retry). */
  isQueued(stepId: string): boolean {
    return this.queued.has(stepId);
  }

  private async send(batch: Queued[]): Promise<void> {
    metrics.stepStatements += 1;
    metrics.stepRowWrites += batch.length;
    const rows = batch.map(({ step }) => toStepRow(step, this.writtenContent.get(step.id)));
    await this.query(WRITE_STEPS_SQL, [JSON.stringify(rows)]);
  }
}

function groupByOwner(batch: Queued[]): Queued[][] {
  const groups = new Map<StepRowOwner, Queued[]>();
  for (const entry of batch) {
    const group = groups.get(entry.owner);
    if (group) group.push(entry);
    else groups.set(entry.owner, [entry]);
  }
  return [...groups.values()];
}
