import "server-only";
import type { Run, Step } from "@/lib/generated/prisma/client.ts";
import { parseJsonObject } from "@/lib/json";
import type { ReviewDecision } from "@/lib/review/decision";
import type { StepNode } from "@/lib/steps/types";
import type { ApprovalStatus, PendingApproval } from "@/lib/wire/approvals";
import type { RunView } from "@/lib/wire/sessions";
import { getDatabase } from "./client";
import { RUN_DATES, STEP_DATES, toRunView, toStepNode, withUtcDates } from "./mappers";
import type { RunLease, RunTotals } from "./runs";
import type { RawQuery } from "./sql";
import { decodeDbJson } from "./text-codec";

/**
 * The Approval table: the plan gate's pauses and decisions (lib/review). A paused run holds
 * no process — its row says `awaiting_approval`, with no owner and no lease, and the approval
 * row says where it continues — so a pause survives any restart, and whichever instance
 * takes the decision continues the run. Each change of state is one statement that moves the
 * approval, its tool call step and its run together, conditionally: two deciders, or a
 * decision racing a Stop, can't both win.
 */

async function sql(): Promise<RawQuery> {
  return (await getDatabase()).query;
}

/** The database's clock in UTC, as `timestamp(3)` columns hold it (runs.ts uses the same). */
const DB_NOW = `(now() AT TIME ZONE 'UTC')`;

type Changed = { kind: "run" | "step"; row: Record<string, unknown> };

function changedRows(rows: Changed[]): { run: RunView | null; step: StepNode | null } {
  const run = rows.find((row) => row.kind === "run")?.row;
  const step = rows.find((row) => row.kind === "step")?.row;
  return {
    run: run ? toRunView(withUtcDates<Run>(run, RUN_DATES)) : null,
    step: step ? toStepNode(withUtcDates<Step>(step, STEP_DATES)) : null,
  };
}

/**
 * The run pauses at `stepId` (a file-writing tool call) until someone decides: the approval
 * is made pending (again, after a Stop cancelled an earlier one), the call's step becomes
 * `awaiting_approval`, and the run `awaiting_approval` with its totals, its lease let go.
 * `leafId` is the branch's end, where the run continues. Only `ownerId`, the instance
 * executing the run, may pause it, while the row still says it runs there (as recordRunEnd
 * asks): a late instance whose run was finished or taken over elsewhere changes nothing.
 * Answers the step and run as they now are; null each when nothing paused: someone asked
 * the run to stop, it is no longer running here (finished or continued elsewhere), or it is
 * gone with its session.
 */
export async function pauseForApproval({
  runId,
  sessionId,
  workspaceId,
  stepId,
  leafId,
  totals,
  ownerId,
}: {
  runId: string;
  sessionId: string;
  workspaceId: string;
  stepId: string;
  leafId: string;
  totals: RunTotals;
  /** the instance executing the run (lib/agent/run-lease.ts runLease) */
  ownerId: string;
}): Promise<{ run: RunView | null; step: StepNode | null }> {
  // Run first, then Approval, then Step: the lock order of every statement over a paused run
  // (decideApproval, cancelPausedRun). A run someone asked to stop does not pause: nothing
  // changes, and the caller ends it as stopped.
  const rows = await (await sql())<Changed>(
    `WITH run AS (
       UPDATE "Run" AS r SET "status" = 'awaiting_approval', "ownerId" = NULL, "leaseExpiresAt" = NULL,
         "inputTokens" = $6, "outputTokens" = $7, "reasoningTokens" = $8, "costUsd" = $9, "reasoningEstimated" = $10
       WHERE r."id" = $1 AND r."status" = 'running' AND r."ownerId" = $11 AND r."cancelRequestedAt" IS NULL
         AND EXISTS (
           SELECT 1 FROM "Step" AS st JOIN "Session" AS se ON se."id" = st."sessionId"
           WHERE st."id" = $4 AND st."sessionId" = $2 AND se."workspaceId" = $3
         )
         AND NOT EXISTS (SELECT 1 FROM "Approval" AS taken WHERE taken."stepId" = $4 AND taken."status" <> 'cancelled')
       RETURNING r.*
     ), approval AS (
       INSERT INTO "Approval" ("id", "workspaceId", "sessionId", "stepId", "runId", "status", "leafId", "createdAt")
       SELECT gen_random_uuid()::text, $3, $2, $4, run."id", 'pending', $5, ${DB_NOW} FROM run
       ON CONFLICT ("stepId") DO UPDATE SET "status" = 'pending', "runId" = EXCLUDED."runId",
         "leafId" = EXCLUDED."leafId", "createdAt" = EXCLUDED."createdAt", "editedContent" = NULL,
         "comment" = NULL, "decidedById" = NULL, "decidedAt" = NULL
       WHERE "Approval"."status" = 'cancelled'
       RETURNING "stepId"
     ), step AS (
       UPDATE "Step" AS s SET "status" = 'awaiting_approval' FROM approval WHERE s."id" = approval."stepId"
       RETURNING s.*
     )
     SELECT 'run' AS "kind", row_to_json(run) AS "row" FROM run
     UNION ALL SELECT 'step', row_to_json(step) FROM step`,
    [
      runId,
      sessionId,
      workspaceId,
      stepId,
      leafId,
      totals.inputTokens,
      totals.outputTokens,
      totals.reasoningTokens,
      totals.costUsd,
      totals.reasoningEstimated,
      ownerId,
    ],
  );
  return changedRows(rows);
}

/** A decision as the route takes it. */
export interface DecisionInput {
  decision: "approved" | "rejected";
  editedContent: string | null;
  comment: string | null;
  decidedById: string | null;
}

/** What deciding changed: the run, now running again and leased to the decider's instance, and its call step. */
export interface Decided {
  run: RunView;
  step: StepNode;
  /** where the run continues */
  leafId: string;
}

/**
 * Records a decision on the pending approval of tool call `stepId`, if it is still pending
 * — one statement, so of two people deciding at once exactly one gets a result and the other
 * null — and in the same statement takes the paused run back: `running`, leased to `lease`
 * (the instance that continues it), its call step `done` again.
 */
export async function decideApproval({
  sessionId,
  workspaceId,
  stepId,
  input,
  lease,
}: {
  sessionId: string;
  workspaceId: string;
  stepId: string;
  input: DecisionInput;
  lease: RunLease;
}): Promise<Decided | null> {
  // Row locks in the order every statement over a paused run takes them — Run, then
  // Approval, then Step (cancelPausedRun too) — so a decision racing a Stop waits for it
  // instead of deadlocking. The approval is only read to find its run; each update takes the
  // row before the next one needs it, and its condition is checked again once it has it.
  const rows = await (await sql())<Changed & { leafId: string | null }>(
    `WITH run AS (
       UPDATE "Run" AS r SET "status" = 'running', "ownerId" = $8,
         "leaseExpiresAt" = ${DB_NOW} + $9 * interval '1 millisecond'
       WHERE r."status" = 'awaiting_approval' AND r."id" = (
         SELECT a."runId" FROM "Approval" AS a
         WHERE a."stepId" = $3 AND a."sessionId" = $1 AND a."workspaceId" = $2 AND a."status" = 'pending'
       )
       RETURNING r.*
     ), decided AS (
       UPDATE "Approval" AS a SET "status" = $4, "editedContent" = $5, "comment" = $6, "decidedById" = $7,
         "decidedAt" = ${DB_NOW}
       FROM run WHERE a."stepId" = $3 AND a."runId" = run."id" AND a."status" = 'pending'
       RETURNING a."stepId", a."leafId"
     ), step AS (
       UPDATE "Step" AS s SET "status" = 'done' FROM decided
       WHERE s."id" = decided."stepId" AND s."status" = 'awaiting_approval'
       RETURNING s.*
     )
     SELECT 'run' AS "kind", row_to_json(run) AS "row", NULL AS "leafId" FROM run
     UNION ALL SELECT 'step', row_to_json(step), NULL FROM step
     UNION ALL SELECT 'leaf', NULL, decided."leafId" FROM decided`,
    [
      sessionId,
      workspaceId,
      stepId,
      input.decision,
      input.editedContent,
      input.comment,
      input.decidedById,
      lease.ownerId,
      lease.leaseMs,
    ],
  );
  const leafId = rows.find((row) => (row.kind as string) === "leaf")?.leafId;
  const { run, step } = changedRows(rows.filter((row) => row.kind !== ("leaf" as string)));
  return leafId && run && step ? { run, step, leafId } : null;
}

/**
 * Stop on a paused run: the run is cancelled, its pending approval cancelled, its call step
 * `done` again (a later run from there asks again). One statement, conditional on the run
 * still waiting, so it can't undo a decision that won. Answers the run and step as they now
 * are; null each when the run was not waiting.
 */
export async function cancelPausedRun({
  runId,
  workspaceId,
  message,
}: {
  runId: string;
  workspaceId: string;
  message: { errorCode: string; errorMessage: string };
}): Promise<{ run: RunView | null; step: StepNode | null }> {
  const rows = await (await sql())<Changed>(
    `WITH run AS (
       UPDATE "Run" AS r SET "status" = 'cancelled', "errorCode" = $3, "errorMessage" = $4, "finishedAt" = ${DB_NOW}
       FROM "Session" AS se
       WHERE r."id" = $1 AND r."status" = 'awaiting_approval' AND se."id" = r."sessionId" AND se."workspaceId" = $2
       RETURNING r.*
     ), approval AS (
       UPDATE "Approval" AS a SET "status" = 'cancelled' FROM run
       WHERE a."runId" = run."id" AND a."status" = 'pending'
       RETURNING a."stepId"
     ), step AS (
       UPDATE "Step" AS s SET "status" = 'done' FROM approval
       WHERE s."id" = approval."stepId" AND s."status" = 'awaiting_approval'
       RETURNING s.*
     )
     SELECT 'run' AS "kind", row_to_json(run) AS "row" FROM run
     UNION ALL SELECT 'step', row_to_json(step) FROM step`,
    [runId, workspaceId, message.errorCode, message.errorMessage],
  );
  return changedRows(rows);
}

/** An approval of the workspace as a refused decision reports it: its status and who decided. */
export async function readApproval({
  sessionId,
  workspaceId,
  stepId,
}: {
  sessionId: string;
  workspaceId: string;
  stepId: string;
}): Promise<{ status: ApprovalStatus; decidedBy: string | null } | null> {
  const { prisma } = await getDatabase();
  const row = await prisma.approval.findFirst({
    where: { stepId, sessionId, workspaceId },
    select: { status: true, decidedBy: { select: { name: true } }, importedByName: true },
  });
  return row
    ? { status: row.status as ApprovalStatus, decidedBy: row.decidedBy?.name ?? row.importedByName ?? null }
    : null;
}

/**
 * The decisions taken on these tool call steps of a session of the workspace (approved or
 * rejected; pending and cancelled ones are no decision), by step id, with the reviewer's name.
 */
export async function readDecisions({
  sessionId,
  workspaceId,
  stepIds,
}: {
  sessionId: string;
  workspaceId: string;
  stepIds: string[];
}): Promise<Map<string, ReviewDecision>> {
  if (stepIds.length === 0) return new Map();
  const rows = await (await sql())<{
    stepId: string;
    status: "approved" | "rejected";
    editedContent: string | null;
    comment: string | null;
    by: string | null;
  }>(
    `SELECT a."stepId", a."status", a."editedContent", a."comment", COALESCE(u."name", a."importedByName") AS "by"
     FROM "Approval" AS a LEFT JOIN "User" AS u ON u."id" = a."decidedById"
     WHERE a."sessionId" = $1 AND a."workspaceId" = $2 AND a."stepId" = ANY($3::text[])
       AND a."status" IN ('approved', 'rejected')`,
    [sessionId, workspaceId, stepIds],
  );
  return new Map(
    rows.map((row) => [
      row.stepId,
      { decision: row.status, editedContent: row.editedContent, comment: row.comment, by: row.by },
    ]),
  );
}

/** The workspace's approvals still waiting for a decision, newest first (at most `limit`). */
export async function listPendingApprovals({
  workspaceId,
  limit = 100,
}: {
  workspaceId: string;
  limit?: number;
}): Promise<PendingApproval[]> {
  const { prisma } = await getDatabase();
  const rows = await prisma.approval.findMany({
    where: { workspaceId, status: "pending" },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      sessionId: true,
      stepId: true,
      runId: true,
      createdAt: true,
      session: { select: { title: true } },
      step: { select: { providerData: true } },
    },
  });
  return rows.map((row) => {
    const data = decodeDbJson((row.step.providerData ?? {}) as { toolName?: string; toolInput?: string });
    // arguments that aren't a JSON object name no file
    const input = parseJsonObject(data.toolInput ?? "{}");
    const path = typeof input?.path === "string" ? input.path : null;
    return {
      id: row.id,
      sessionId: row.sessionId,
      sessionTitle: row.session.title,
      stepId: row.stepId,
      runId: row.runId,
      toolName: data.toolName ?? "tool",
      path,
      createdAt: row.createdAt.toISOString(),
    };
  });
}
