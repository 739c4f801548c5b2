import "server-only";
import { type Author, type AuthorRows, authorLabel, NO_AUTHOR } from "@/lib/auth/authors";
import type { Run, Session, Step } from "@/lib/generated/prisma/client.ts";
import { AppError } from "@/lib/http/errors";
import type { StepNode } from "@/lib/steps/types";
import { ACTIVE_RUN_STATUSES, LEASED_RUN_STATUSES, type RunStatus } from "@/lib/steps/types";
import type { RunView } from "@/lib/wire/sessions";
import { getDatabase } from "./client";
import { RUN_DATES, RUN_INCLUDE, SESSION_DATES, STEP_DATES, toRunView, toStepNode, withUtcDates } from "./mappers";
import type { RawQuery } from "./sql";
import type { StepRowQueue } from "./step-rows";
import { encodeDbTextOrNull } from "./text-codec";

/**
 * The Run table's one module: a run's start, its row after every turn and at the end,
 * its lease, Stop, the session's branch once it is over, and the reads of runs. The run
 * pipeline's statements are straight SQL (see sql.ts): runs started together reach these
 * points together, and Prisma's per-query CPU there would hold up every other run's stream.
 * Each function takes its connection from the process's database (client.ts).
 */

async function sql(): Promise<RawQuery> {
  return (await getDatabase()).query;
}

/** The process's queue that writes a run's streaming steps behind (step-rows.ts). */
export async function stepRowQueue(): Promise<StepRowQueue> {
  return (await getDatabase()).stepRows;
}

export interface RunTotals {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** some turn's reasoning tokens were estimated from its thinking text (lib/agent/usage.ts) */
  reasoningEstimated: boolean;
  costUsd: number;
}

/**
 * Records the totals after a turn, only while `ownerId` still holds the run (running there,
 * as recordRunEnd asks): a late instance whose run was finished or taken over elsewhere
 * meanwhile must not overwrite the totals the run's holder records. Answers whether the run
 * should stop: someone asked (possibly through another instance, which can only leave a
 * mark on the row), the row is gone with its session, or the run is not the caller's any
 * more (another instance finished it when its lease lapsed, or continues it now).
 */
export async function recordRunProgress(runId: string, totals: RunTotals, ownerId: string): Promise<boolean> {
  const rows = await (await sql())<{ stop: boolean }>(
    `UPDATE "Run" SET "inputTokens" = $2, "outputTokens" = $3, "reasoningTokens" = $4, "costUsd" = $5,
       "reasoningEstimated" = $6
     WHERE "id" = $1 AND "status" = 'running' AND "ownerId" = $7
     RETURNING "cancelRequestedAt" IS NOT NULL AS "stop"`,
    [
      runId,
      totals.inputTokens,
      totals.outputTokens,
      totals.reasoningTokens,
      totals.costUsd,
      totals.reasoningEstimated,
      ownerId,
    ],
  );
  return rows[0]?.stop ?? true;
}

export interface RunEnd extends RunTotals {
  status: Extract<RunStatus, "done" | "failed" | "cancelled">;
  errorCode: string | null;
  errorMessage: string | null;
  finishedAt: Date;
}

/**
 * The condition that the run row (unqualified columns) is still held by `$11`: running on
 * that instance, or (`$11` null) queued with no owner yet.
 */
const HELD_BY = `(("status" = 'running' AND "ownerId" = $11::text) OR ($11::text IS NULL AND "status" = 'queued' AND "ownerId" IS NULL))`;

/**
 * Records how the run ended, and in the same statement closes any of its steps still
 * `streaming` in the database as interrupted: no row stays streaming after its run. Only
 * the run's holder may: `ownerId`, the instance executing it, while the row still says it
 * runs there — or, with `ownerId` null, nobody, while it is still queued and unclaimed (its
 * job could not be sent). A late instance whose run was taken over meanwhile (its lease
 * expired and another instance finished it as stopped, perhaps resuming it as a new run;
 * or Stop finished it) changes nothing. Answers whether the end was recorded: false when
 * the run is not the caller's any more, or its row is gone with its session.
 */
export async function recordRunEnd(runId: string, end: RunEnd, ownerId: string | null): Promise<boolean> {
  const rows = await (await sql())(
    `WITH ended AS (
       UPDATE "Run" SET "status" = $2, "errorCode" = $3, "errorMessage" = $4, "finishedAt" = $5::timestamp(3),
         "inputTokens" = $6, "outputTokens" = $7, "reasoningTokens" = $8, "costUsd" = $9,
         "reasoningEstimated" = $10
       WHERE "id" = $1 AND ${HELD_BY}
       RETURNING "id"
     ), closed AS (
       UPDATE "Step" AS s SET "status" = 'interrupted', "finishedAt" = $5::timestamp(3)
       FROM ended WHERE s."runId" = ended."id" AND s."status" = 'streaming'
     )
     SELECT "id" FROM ended`,
    [
      runId,
      end.status,
      end.errorCode,
      // may quote the upstream's own words (read back through toRunView)
      encodeDbTextOrNull(end.errorMessage),
      // timestamp(3) holds UTC, as Prisma writes it; the zone in the ISO string is ignored
      end.finishedAt.toISOString(),
      end.inputTokens,
      end.outputTokens,
      end.reasoningTokens,
      end.costUsd,
      end.reasoningEstimated,
      ownerId,
    ],
  );
  return rows.length > 0;
}

/** What starting a run needs to know, read in one statement (null: no such session here). */
export interface RunStart {
  session: Session;
  /** the step the run continues from, if it is part of the session */
  from: { id: string; status: string } | null;
  /** a run of this session is still going */
  busy: boolean;
  /** the starter's name as viewers see it (lib/auth/authors.ts), null: nobody to name */
  authorName: string | null;
}

/** Everything a run's start reads, in one statement: the session, the step it continues from, whether one runs, the starter's name. */
export async function readRunStart({
  sessionId,
  workspaceId,
  fromStepId,
  author = NO_AUTHOR,
}: {
  sessionId: string;
  workspaceId: string;
  fromStepId: string | null;
  author?: Author;
}): Promise<RunStart | null> {
  const rows = await (await sql())<{
    session: Record<string, unknown>;
    fromId: string | null;
    fromStatus: string | null;
    busy: boolean;
    user: AuthorRows["user"];
    apiToken: AuthorRows["apiToken"];
  }>(
    `SELECT row_to_json(s) AS "session", step."id" AS "fromId", step."status" AS "fromStatus",
       EXISTS (SELECT 1 FROM "Run" WHERE "sessionId" = s."id" AND "status" = ANY($4::text[])) AS "busy",
       (SELECT json_build_object('name', u."name", 'isAnonymous', u."isAnonymous") FROM "User" AS u
         WHERE u."id" = $5::text) AS "user",
       (SELECT json_build_object('name', t."name") FROM "ApiToken" AS t WHERE t."id" = $6::text) AS "apiToken"
     FROM "Session" AS s
     LEFT JOIN "Step" AS step ON step."id" = COALESCE($3, s."activeLeafId") AND step."sessionId" = s."id"
     WHERE s."id" = $1 AND s."workspaceId" = $2`,
    [sessionId, workspaceId, fromStepId, ACTIVE_RUN_STATUSES, author.userId, author.apiTokenId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    session: withUtcDates<Session>(row.session, SESSION_DATES),
    from: row.fromId && row.fromStatus ? { id: row.fromId, status: row.fromStatus } : null,
    busy: row.busy,
    authorName: authorLabel({ user: row.user, apiToken: row.apiToken }),
  };
}

/**
 * A run as it starts, nothing used yet: `running` at once when this process executes it,
 * or `queued` (not started: `startedAt` null) until an instance claims it from the durable
 * queue (lib/agent/run-queue.ts).
 */
export function startingRun(
  run: Pick<RunView, "id" | "sessionId" | "fromStepId" | "modelId" | "resumesRunId">,
  at: Date,
  status: Extract<RunStatus, "running" | "queued"> = "running",
): RunView {
  const now = at.toISOString();
  return {
    ...run,
    status,
    errorCode: null,
    errorMessage: null,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    reasoningEstimated: false,
    costUsd: 0,
    resumedByRunId: null,
    createdAt: now,
    startedAt: status === "running" ? now : null,
    finishedAt: null,
  };
}

/** The database's clock in UTC, as `timestamp(3)` columns hold it: every instance judges leases by one clock. */
export const DB_NOW = `(now() AT TIME ZONE 'UTC')`;

/** A run's lease: who executes it, and for how long it stays theirs without a renewal. */
export interface RunLease {
  ownerId: string;
  leaseMs: number;
}

/**
 * A new run's row, as its `RunView` describes it: leased to its owner, or with no owner
 * (`lease` null) while it waits on the queue. `author`: who started it (NO_AUTHOR: no person).
 * Throws (a unique violation) when `run.resumesRunId` names a run another run resumes already
 * (lib/agent/run.ts `startRun` answers a 409 then, and run-resume.ts `resumeRun` that run).
 */
export async function insertRun(run: RunView, lease: RunLease | null, author: Author = NO_AUTHOR): Promise<void> {
  await (await sql())(
    `INSERT INTO "Run" ("id", "sessionId", "fromStepId", "modelId", "status", "createdAt", "startedAt", "ownerId", "leaseExpiresAt", "userId", "apiTokenId", "resumesRunId")
     VALUES ($1, $2, $3, $4, $5, $6::timestamp(3), $7::timestamp(3), $8, ${DB_NOW} + $9 * interval '1 millisecond', $10, $11, $12)`,
    [
      run.id,
      run.sessionId,
      run.fromStepId,
      run.modelId,
      run.status,
      run.createdAt,
      run.startedAt,
      lease?.ownerId ?? null,
      lease?.leaseMs ?? null,
      author.userId,
      author.apiTokenId,
      run.resumesRunId,
    ],
  );
}

/**
 * The owner's heartbeat: one statement renews the lease of every run it is executing.
 * Answers those of them that someone asked to stop (through any instance), and those whose
 * row is gone: their session was deleted (on another instance whose Stop did not reach this
 * one), so nothing they do can be saved.
 */
export async function renewLeases(runIds: string[], lease: RunLease): Promise<string[]> {
  if (runIds.length === 0) return [];
  const rows = await (await sql())<{ id: string }>(
    `WITH renewed AS (
       UPDATE "Run" SET "leaseExpiresAt" = ${DB_NOW} + $3 * interval '1 millisecond'
       WHERE "id" = ANY($1::text[]) AND "ownerId" = $2 AND "status" = ANY($4::text[])
       RETURNING "id", "cancelRequestedAt" IS NOT NULL AS "stop"
     )
     SELECT "id" FROM renewed WHERE "stop"
     UNION ALL
     SELECT ids."id" FROM unnest($1::text[]) AS ids("id")
     WHERE NOT EXISTS (SELECT 1 FROM "Run" AS r WHERE r."id" = ids."id")`,
    [runIds, lease.ownerId, lease.leaseMs, LEASED_RUN_STATUSES],
  );
  return rows.map((row) => row.id);
}

/**
 * Hands a run back: its owner (a server stopping) releases the lease at once, leaving the
 * run active, so the next heartbeat anywhere finishes it as stopped by its server (and
 * resumes it, when the session allows). Answers false (nothing changed) unless `ownerId`
 * still held it.
 */
export async function releaseRun(runId: string, ownerId: string): Promise<boolean> {
  const rows = await (await sql())(
    `UPDATE "Run" SET "leaseExpiresAt" = ${DB_NOW} - interval '1 millisecond'
     WHERE "id" = $1 AND "ownerId" = $2 AND "status" = ANY($3::text[]) RETURNING "id"`,
    [runId, ownerId, LEASED_RUN_STATUSES],
  );
  return rows.length > 0;
}

/** A run row's author as `user` and `apiToken` columns (AuthorRows), for a statement over the run as `r`. */
const AUTHOR_COLUMNS = `(SELECT json_build_object('name', u."name", 'isAnonymous', u."isAnonymous") FROM "User" AS u
       WHERE u."id" = r."userId") AS "user",
     (SELECT json_build_object('name', t."name") FROM "ApiToken" AS t WHERE t."id" = r."apiTokenId") AS "apiToken"`;

/** What an instance that claimed a queued run needs to execute it. */
export interface ClaimedRun {
  run: RunView;
  workspaceId: string;
  /** the session's settings (lib/sessions/schema.ts reads them) */
  settings: unknown;
}

/**
 * Claims a queued run for this instance: one conditional statement makes it `running`,
 * leased to `lease.ownerId`, so of any number of instances handed the same run (a
 * re-dispatched job, a retried one) exactly one gets it. Null when the run is no longer
 * queued (claimed, stopped, or deleted with its session) or someone asked it to stop.
 */
export async function claimQueuedRun(runId: string, lease: RunLease): Promise<ClaimedRun | null> {
  const rows = await (await sql())<
    { run: Record<string, unknown>; workspaceId: string; settings: unknown } & Required<AuthorRows>
  >(
    `UPDATE "Run" AS r SET "status" = 'running', "startedAt" = ${DB_NOW}, "ownerId" = $2,
       "leaseExpiresAt" = ${DB_NOW} + $3 * interval '1 millisecond'
     FROM "Session" AS s
     WHERE r."id" = $1 AND r."status" = 'queued' AND r."cancelRequestedAt" IS NULL AND s."id" = r."sessionId"
     RETURNING row_to_json(r) AS "run", s."workspaceId", s."settings", ${AUTHOR_COLUMNS}`,
    [runId, lease.ownerId, lease.leaseMs],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    run: toRunView({ ...withUtcDates<Run>(row.run, RUN_DATES), user: row.user, apiToken: row.apiToken }),
    workspaceId: row.workspaceId,
    settings: row.settings,
  };
}

/**
 * Gives a claimed run back to the queue before it started (its claimer is stopping): queued
 * again, with no owner, lease or start, if `ownerId` still holds it running. Internal (the
 * claimer's own run, by id). Answers whether it went back.
 */
export async function unclaimRun(runId: string, ownerId: string): Promise<boolean> {
  const rows = await (await sql())(
    `UPDATE "Run" SET "status" = 'queued', "ownerId" = NULL, "leaseExpiresAt" = NULL, "startedAt" = NULL
     WHERE "id" = $1 AND "ownerId" = $2 AND "status" = 'running' RETURNING "id"`,
    [runId, ownerId],
  );
  return rows.length > 0;
}

/** Stops a queued run of the workspace before any instance claims it; null when it is not queued (or not here). */
export async function cancelQueuedRun({
  runId,
  workspaceId,
}: {
  runId: string;
  workspaceId: string;
}): Promise<RunView | null> {
  const rows = await (await sql())<{ run: Record<string, unknown> }>(
    `UPDATE "Run" AS r SET "status" = 'cancelled', "errorCode" = 'cancelled:run', "errorMessage" = $3,
       "finishedAt" = ${DB_NOW}, "cancelRequestedAt" = COALESCE(r."cancelRequestedAt", ${DB_NOW})
     FROM "Session" AS s
     WHERE r."id" = $1 AND r."status" = 'queued' AND s."id" = r."sessionId" AND s."workspaceId" = $2
     RETURNING row_to_json(r) AS "run"`,
    [runId, workspaceId, encodeDbTextOrNull("Stopped before it started.")],
  );
  const row = rows[0];
  return row ? toRunView(withUtcDates<Run>(row.run, RUN_DATES)) : null;
}

/**
 * Runs queued longer than `olderThanMs` (milliseconds) without an instance claiming them:
 * their job was lost (its sender died between the row and the job) or is stuck with a
 * dead worker. Internal: the heartbeat dispatches them again (claiming is idempotent).
 */
export async function listStaleQueuedRuns(olderThanMs: number): Promise<string[]> {
  const rows = await (await sql())<{ id: string }>(
    `SELECT "id" FROM "Run" WHERE "status" = 'queued' AND "createdAt" < ${DB_NOW} - $1 * interval '1 millisecond'
     ORDER BY "createdAt" LIMIT 100`,
    [olderThanMs],
  );
  return rows.map((row) => row.id);
}

/** A run's status as stored now, for a caller that only waits on it (internal); null when it is gone. */
export async function readRunStatus(runId: string): Promise<RunStatus | null> {
  const rows = await (await sql())<{ status: RunStatus }>(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId]);
  return rows[0]?.status ?? null;
}

/** How an orphaned run is finished: failed because its server stopped (Retry resumes), or stopped by a person. */
export interface OrphanEnd {
  status: Extract<RunStatus, "failed" | "cancelled">;
  errorCode: string;
  errorMessage: string;
}

/** How a run whose server died ends: failed, saying so; Retry resumes it. */
export const SERVER_STOPPED: OrphanEnd = {
  status: "failed",
  errorCode: "unavailable:server_stopped",
  errorMessage:
    "The server running this run stopped before it finished. Every step streamed so far is kept; Retry continues from there.",
};

/** How Stop ends a run nobody executes any more. */
export const STOPPED_ORPHAN: OrphanEnd = {
  status: "cancelled",
  errorCode: "cancelled:run",
  errorMessage: "Stopped. The server running it had already stopped; every step streamed so far is kept.",
};

/** What finishing orphaned runs changed, for viewers. */
export interface FinishedOrphans {
  runs: RunView[];
  /** their steps that were still streaming, now interrupted */
  steps: StepNode[];
  /** their sessions, each branch now ending at its run's newest step */
  sessions: Session[];
}

/**
 * Finishes leased runs nobody executes any more: their lease has expired (their server
 * died without recording how they ended), or they are from before leases. Their steps are
 * kept; steps still streaming become interrupted; each session's branch moves to its run's
 * newest step, where Retry continues. One statement, safe to run from any number of
 * instances at once (a run is finished once). `sessionId` / `runId` narrow it to a session
 * or a run; `anyLease` also takes runs whose lease is still valid (the embedded database at
 * start: it belongs to one process, so nothing else can be executing them).
 */
export async function finishOrphanedRuns(
  end: OrphanEnd,
  scope: { sessionId?: string; runId?: string; anyLease?: boolean } = {},
): Promise<FinishedOrphans> {
  return finishOrphanedRunsOn(await sql(), end, scope);
}

/** `finishOrphanedRuns` on a given connection: for the database's own start-up (client.ts), before it is shared. */
export async function finishOrphanedRunsOn(
  query: RawQuery,
  end: OrphanEnd,
  scope: { sessionId?: string; runId?: string; anyLease?: boolean } = {},
): Promise<FinishedOrphans> {
  const rows = await query<{ kind: "run" | "step" | "session"; row: Record<string, unknown> }>(
    `WITH orphaned AS (
       UPDATE "Run" AS r SET "status" = $1, "errorCode" = $2, "errorMessage" = $3, "finishedAt" = ${DB_NOW}
       WHERE r."status" = ANY($4::text[])
         AND ($7::boolean OR r."leaseExpiresAt" IS NULL OR r."leaseExpiresAt" < ${DB_NOW})
         AND ($5::text IS NULL OR r."sessionId" = $5) AND ($6::text IS NULL OR r."id" = $6)
       RETURNING r.*
     ), closed AS (
       UPDATE "Step" AS s SET "status" = 'interrupted', "finishedAt" = ${DB_NOW}
       FROM orphaned WHERE s."runId" = orphaned."id" AND s."status" = 'streaming'
       RETURNING s.*
     ), leaves AS (
       UPDATE "Session" AS se SET "activeLeafId" = newest."id", "updatedAt" = ${DB_NOW}
       FROM (
         SELECT DISTINCT ON (st."runId") st."runId", st."id", o."sessionId"
         FROM "Step" AS st JOIN orphaned AS o ON st."runId" = o."id"
         ORDER BY st."runId", st."createdAt" DESC, st."id" DESC
       ) AS newest
       WHERE se."id" = newest."sessionId"
       RETURNING se.*
     )
     SELECT 'run' AS "kind", row_to_json(orphaned) AS "row" FROM orphaned
     UNION ALL SELECT 'step', row_to_json(closed) FROM closed
     UNION ALL SELECT 'session', row_to_json(leaves) FROM leaves`,
    [
      end.status,
      end.errorCode,
      encodeDbTextOrNull(end.errorMessage),
      LEASED_RUN_STATUSES,
      scope.sessionId ?? null,
      scope.runId ?? null,
      scope.anyLease ?? false,
    ],
  );
  const of = (kind: string) => rows.filter((row) => row.kind === kind).map((row) => row.row);
  return {
    runs: of("run").map((row) => toRunView(withUtcDates<Run>(row, RUN_DATES))),
    steps: of("step").map((row) => toStepNode(withUtcDates<Step>(row, STEP_DATES))),
    sessions: of("session").map((row) => withUtcDates<Session>(row, SESSION_DATES)),
  };
}

/**
 * The run's branch is the session's branch on screen now; returns the session as it is.
 * Only while `runId` still runs on `ownerId` (see recordRunEnd): a late instance whose run
 * was taken over must not move the branch away from the newer attempt's. Null when it
 * changed nothing (the run is not the caller's any more, or the session is gone).
 */
export async function recordActiveLeaf({
  sessionId,
  leafId,
  at,
  runId,
  ownerId,
}: {
  sessionId: string;
  leafId: string;
  at: Date;
  runId: string;
  ownerId: string;
}): Promise<Session | null> {
  const rows = await (await sql())<{ session: Record<string, unknown> }>(
    `UPDATE "Session" AS s SET "activeLeafId" = $2, "updatedAt" = $3::timestamp(3)
     WHERE s."id" = $1
       AND EXISTS (SELECT 1 FROM "Run" AS r WHERE r."id" = $4 AND r."sessionId" = s."id" AND r."status" = 'running' AND r."ownerId" = $5)
     RETURNING row_to_json(s) AS "session"`,
    [sessionId, leafId, at.toISOString(), runId, ownerId],
  );
  const row = rows[0];
  return row ? withUtcDates<Session>(row.session, SESSION_DATES) : null;
}

/**
 * Steps whose latest state could not be written: the rows that exist (an earlier state
 * was written) are marked `error`, and returned as they now are. Steps not returned have
 * no row at all.
 */
export async function settleUnsavedSteps(stepIds: string[], at: Date): Promise<StepNode[]> {
  const rows = await (await sql())<{ step: Record<string, unknown> }>(
    `UPDATE "Step" AS s SET "status" = 'error', "finishedAt" = COALESCE(s."finishedAt", $2::timestamp(3))
     WHERE s."id" = ANY($1::text[]) RETURNING row_to_json(s) AS "step"`,
    [stepIds, at.toISOString()],
  );
  return rows.map((row) => toStepNode(withUtcDates<Step>(row.step, STEP_DATES)));
}

/** A session of the workspace's runs, oldest first (none for a session of another workspace). */
export async function listSessionRuns({
  sessionId,
  workspaceId,
}: {
  sessionId: string;
  workspaceId: string;
}): Promise<RunView[]> {
  const { prisma } = await getDatabase();
  const rows = await prisma.run.findMany({
    where: { sessionId, session: { workspaceId } },
    include: RUN_INCLUDE,
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toRunView);
}

/** A session of the workspace's runs that are still going (one at most, unless an orphan awaits finishing). */
export async function listActiveRuns({
  sessionId,
  workspaceId,
}: {
  sessionId: string;
  workspaceId: string;
}): Promise<RunView[]> {
  const { prisma } = await getDatabase();
  const rows = await prisma.run.findMany({
    where: { sessionId, session: { workspaceId }, status: { in: [...ACTIVE_RUN_STATUSES] } },
    include: RUN_INCLUDE,
  });
  return rows.map(toRunView);
}

/** A run as Stop finds it: its view and the instance executing it; null when it isn't in the workspace. */
export async function findRunInWorkspace({
  runId,
  workspaceId,
}: {
  runId: string;
  workspaceId: string;
}): Promise<{ run: RunView; ownerId: string | null } | null> {
  const { prisma } = await getDatabase();
  const row = await prisma.run.findFirst({ where: { id: runId, session: { workspaceId } }, include: RUN_INCLUDE });
  return row ? { run: toRunView(row), ownerId: row.ownerId } : null;
}

/**
 * Marks that someone asked a run of the workspace to stop: its owner stops at its next
 * heartbeat or turn (renewLeases, recordRunProgress).
 */
export async function requestRunStop({ runId, workspaceId }: { runId: string; workspaceId: string }): Promise<void> {
  const { prisma } = await getDatabase();
  await prisma.run.updateMany({
    where: { id: runId, session: { workspaceId } },
    data: { cancelRequestedAt: new Date() },
  });
}

/** A run of the workspace as stored now; 404 `not_found:run` when it is gone (or elsewhere). */
export async function getRun({ runId, workspaceId }: { runId: string; workspaceId: string }): Promise<RunView> {
  const { prisma } = await getDatabase();
  const row = await prisma.run.findFirst({ where: { id: runId, session: { workspaceId } }, include: RUN_INCLUDE });
  if (!row) throw new AppError("not_found:run", "This run doesn't exist.");
  return toRunView(row);
}

/** The run of the workspace that continues `runId` in its place (its `resumesRunId`), or null while none does. */
export async function findResumeOf({
  runId,
  workspaceId,
}: {
  runId: string;
  workspaceId: string;
}): Promise<RunView | null> {
  const { prisma } = await getDatabase();
  const row = await prisma.run.findFirst({
    where: { resumesRunId: runId, session: { workspaceId } },
    include: RUN_INCLUDE,
  });
  return row ? toRunView(row) : null;
}

/** When a run of the workspace got its first token (the earliest of its steps'), or null if none did. */
export async function runFirstTokenAt({
  runId,
  workspaceId,
}: {
  runId: string;
  workspaceId: string;
}): Promise<Date | null> {
  const { prisma } = await getDatabase();
  const first = await prisma.step.findFirst({
    where: { runId, session: { workspaceId }, firstTokenAt: { not: null } },
    orderBy: { firstTokenAt: "asc" },
    select: { firstTokenAt: true },
  });
  return first?.firstTokenAt ?? null;
}

/** What resuming a session's run needs: its workspace, settings and the branch on screen; null when it is gone. */
export async function readResumeTarget(
  sessionId: string,
): Promise<{ workspaceId: string; settings: unknown; activeLeafId: string | null } | null> {
  const { prisma } = await getDatabase();
  return prisma.session.findUnique({
    where: { id: sessionId },
    select: { workspaceId: true, settings: true, activeLeafId: true },
  });
}
