import { metrics } from "@/lib/metrics";
import type { StepNode } from "@/lib/steps/types";
import type { RawQuery } from "./sql";

/**
 * Write-behind for the rows of streaming steps, shared by every run in the process.
 * A step's latest state is queued on each change; once per interval the queue goes to
 * the database as one upsert: 50 concurrent runs cost a few statements a second instead
 * of hundreds, and a crash still loses less than one interval.
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
  ["costUsd", "double precision"],
  ["createdAt", "timestamp(3)"],
  ["firstTokenAt", "timestamp(3)"],
  ["finishedAt", "timestamp(3)"],
] as const satisfies ReadonlyArray<readonly [keyof StepNode, string]>;

/** What a step may still change after its row exists. */
const MUTABLE_COLUMNS: ReadonlyArray<keyof StepNode> = [
  "status",
  "content",
  "providerData",
  "inputTokens",
  "outputTokens",
  "reasoningTokens",
  "costUsd",
  "firstTokenAt",
  "finishedAt",
];

const quoted = (column: string) => `"${column}"`;

/**
 * Inserts the steps that have no row yet and brings the others up to date, in one
 * statement whose only parameter is the steps as JSON. Timestamps are ISO strings in UTC,
 * which `timestamp(3)` stores as written, as Prisma does. Foreign keys are checked at the
 * end of the statement, so a new step may come in the same batch as its new parent.
 */
export const UPSERT_STEPS_SQL = `INSERT INTO "Step" (${STEP_COLUMNS.map(([name]) => quoted(name)).join(", ")})
SELECT ${STEP_COLUMNS.map(([name]) => quoted(name)).join(", ")}
FROM json_to_recordset($1::json) AS row(${STEP_COLUMNS.map(([name, type]) => `${quoted(name)} ${type}`).join(", ")})
ON CONFLICT ("id") DO UPDATE SET ${MUTABLE_COLUMNS.map((name) => `${quoted(name)} = EXCLUDED.${quoted(name)}`).join(", ")}`;

/** The single parameter of UPSERT_STEPS_SQL: a step node already has the row's shape. */
export function stepRowsParameter(steps: readonly StepNode[]): string {
  return JSON.stringify(steps);
}

/** Who queued a step, told when its state reached the database or could not. */
export interface StepRowOwner {
  written(step: StepNode): void;
  failed(step: StepNode, error: unknown): void;
}

interface Queued {
  step: StepNode;
  /** creation order: a new parent is written before its new children */
  order: number;
  owner: StepRowOwner;
}

/** Rows per statement: keeps one flush's parameter and its CPU burst bounded. */
export const MAX_ROWS_PER_STATEMENT = 500;

export class StepRowQueue {
  private queued = new Map<string, Queued>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly query: RawQuery,
    private readonly intervalMs: number,
  ) {}

  /**
   * Queue a step's current state (replacing any state of it still waiting) to be written
   * within the interval. `order` is the step's creation order, fixed for its lifetime.
   */
  put(step: StepNode, order: number, owner: StepRowOwner): void {
    this.queued.set(step.id, { step, order, owner });
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.intervalMs);
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
    for (let start = 0; start < batch.length; start += MAX_ROWS_PER_STATEMENT) {
      await this.writeBatch(batch.slice(start, start + MAX_ROWS_PER_STATEMENT));
    }
  }

  /**
   * One statement for the batch. If it fails, each owner's rows are tried on their own,
   * so one run's bad row (its session deleted under it) fails only that run.
   */
  private async writeBatch(batch: Queued[]): Promise<void> {
    try {
      await this.send(batch);
      for (const entry of batch) entry.owner.written(entry.step);
      return;
    } catch (error) {
      if (new Set(batch.map((entry) => entry.owner)).size === 1) {
        for (const entry of batch) entry.owner.failed(entry.step, error);
        return;
      }
    }
    for (const group of groupByOwner(batch)) await this.writeBatch(group);
  }

  private async send(batch: Queued[]): Promise<void> {
    metrics.stepStatements += 1;
    metrics.stepRowWrites += batch.length;
    await this.query(UPSERT_STEPS_SQL, [stepRowsParameter(batch.map((entry) => entry.step))]);
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
