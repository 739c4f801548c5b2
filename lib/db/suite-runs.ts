import "server-only";
import type { SuiteRun } from "@/lib/generated/prisma/client.ts";
import { AppError } from "@/lib/http/errors";
import { settleResults } from "@/lib/suites/report";
import type { SuiteResult, SuiteRunStatus, SuiteTask } from "@/lib/suites/types";
import type { SuiteRunView } from "@/lib/wire/suites";
import { getDatabase, getPrisma } from "./client";
import { DB_NOW, type RunLease } from "./runs";
import { decodeDbJson, decodeDbTextOrNull, encodeDbJson, encodeDbTextOrNull } from "./text-codec";

/**
 * The SuiteRun table. A running suite run is leased like a run (lib/agent/run-lease.ts): it
 * names the instance executing it (`ownerId`) and a lease (`leaseExpiresAt`, on the
 * database's clock) that the owner's heartbeat renews with its runs'. Every write of a
 * runner — its progress, its end — is conditional on it still holding the suite run, so an
 * instance that lost it (stalled past its lease, and another took it over) changes nothing.
 */

/** The row with its tasks (hidden tests included), for the runner. */
export interface SuiteRunRecord extends SuiteRunView {
  workspaceId: string;
  fullTasks: SuiteTask[];
  cancelRequested: boolean;
  /** the instance executing it; null for suite runs from before leases */
  ownerId: string | null;
}

function toRecord(row: SuiteRun): SuiteRunRecord {
  const fullTasks = decodeDbJson(row.tasks) as unknown as SuiteTask[];
  const status = row.status as SuiteRunStatus;
  return {
    id: row.id,
    suiteName: row.suiteName,
    modelIds: row.modelIds as string[],
    concurrency: row.concurrency,
    status,
    tasks: fullTasks.map(({ id, title, language }) => ({ id, title, language })),
    fullTasks,
    results: settleResults(status, decodeDbJson(row.results) as unknown as SuiteResult[]),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
    resumeCount: row.resumeCount,
    errorMessage: decodeDbTextOrNull(row.errorMessage),
    workspaceId: row.workspaceId,
    cancelRequested: row.cancelRequestedAt !== null,
    ownerId: row.ownerId,
  };
}

/** The view: what a client may see of a record. */
export function toSuiteRunView({
  fullTasks: _tasks,
  workspaceId: _workspace,
  cancelRequested: _cancel,
  ownerId: _owner,
  ...view
}: SuiteRunRecord): SuiteRunView {
  return view;
}

/** The advisory-lock class (the first of two keys) under which a person's suite-run starts are counted one at a time. */
const SUITE_RUN_START_LOCK = 72_011_907;

/**
 * A new suite run's row, running and leased to `lease.ownerId`, unless whoever starts it
 * already has `maxRunning` suite runs running: null then. `createdById` is that person
 * (their running suite runs in every workspace count); null, no person: the workspace's
 * suite runs started by no one count. Running is the row's status, whichever instance
 * executes it (or will take it over once its lease expires), so the limit holds across
 * instances. Counted and inserted in one transaction holding an advisory lock on the
 * person, so starts at the same moment — on one instance or several — are counted one
 * after the other: of a double POST with one place left, one is let in and one is
 * refused. The row is written with this process's clock, then its lease renewed at once
 * on the database's (as every heartbeat renews it).
 */
export async function insertSuiteRun({
  workspaceId,
  createdById,
  maxRunning,
  suiteName,
  modelIds,
  concurrency,
  tasks,
  results,
  lease,
}: {
  workspaceId: string;
  createdById: string | null;
  maxRunning: number;
  suiteName: string;
  modelIds: string[];
  concurrency: number;
  tasks: SuiteTask[];
  results: SuiteResult[];
  lease: RunLease;
}): Promise<SuiteRunRecord | null> {
  const prisma = await getPrisma();
  const row = await prisma.$transaction(async (tx) => {
    const person = createdById ?? `workspace:${workspaceId}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SUITE_RUN_START_LOCK}::int, hashtext(${person}))`;
    const running = await tx.suiteRun.count({
      where: createdById ? { createdById, status: "running" } : { workspaceId, createdById: null, status: "running" },
    });
    if (running >= maxRunning) return null;
    return tx.suiteRun.create({
      data: {
        workspaceId,
        createdById,
        suiteName,
        modelIds,
        concurrency,
        status: "running",
        tasks: encodeDbJson(tasks) as object[],
        results: encodeDbJson(results) as object[],
        ownerId: lease.ownerId,
        leaseExpiresAt: new Date(Date.now() + lease.leaseMs),
      },
    });
  });
  if (!row) return null;
  await renewSuiteRunLeases([row.id], lease);
  return toRecord(row);
}

export async function getSuiteRun({ id, workspaceId }: { id: string; workspaceId: string }): Promise<SuiteRunRecord> {
  const prisma = await getPrisma();
  const row = await prisma.suiteRun.findFirst({ where: { id, workspaceId } });
  if (!row) throw new AppError("not_found:suite_run", "This suite run doesn't exist.");
  return toRecord(row);
}

export async function listSuiteRuns({ workspaceId }: { workspaceId: string }): Promise<SuiteRunView[]> {
  const prisma = await getPrisma();
  const rows = await prisma.suiteRun.findMany({ where: { workspaceId }, orderBy: { createdAt: "desc" }, take: 50 });
  return rows.map((row) => toSuiteRunView(toRecord(row)));
}

/**
 * A runner saves its progress: only while the suite run is running and `ownerId` holds it.
 * One that has ended (a Stop on another instance ended it) or that another instance took
 * over keeps its results. Answers whether they were saved.
 */
export async function saveSuiteResults({
  id,
  workspaceId,
  results,
  ownerId,
}: {
  id: string;
  workspaceId: string;
  results: SuiteResult[];
  ownerId: string;
}): Promise<boolean> {
  const prisma = await getPrisma();
  const { count } = await prisma.suiteRun.updateMany({
    where: { id, workspaceId, status: "running", ownerId },
    data: { results: encodeDbJson(results) as object[] },
  });
  return count > 0;
}

/**
 * Records how a suite run ended, once: whoever ends it first records the end — its runner
 * (`ownerId`, only while it still holds it), or a Stop or a takeover where no runner is
 * (`ownerId` null: whoever holds it). `errorMessage` says why it `failed`.
 */
export async function finishSuiteRun({
  id,
  workspaceId,
  status,
  results,
  ownerId,
  errorMessage = null,
}: {
  id: string;
  workspaceId: string;
  status: SuiteRunStatus;
  results: SuiteResult[];
  ownerId: string | null;
  errorMessage?: string | null;
}): Promise<void> {
  const prisma = await getPrisma();
  await prisma.suiteRun.updateMany({
    where: { id, workspaceId, status: "running", ...(ownerId === null ? {} : { ownerId }) },
    data: {
      status,
      results: encodeDbJson(results) as object[],
      finishedAt: new Date(),
      errorMessage: encodeDbTextOrNull(errorMessage),
    },
  });
}

/** What a heartbeat's renewal learnt of the suite runs this process executes. */
export interface SuiteRunRenewal {
  /** renewed, but someone asked them to stop (through any instance) */
  stop: string[];
  /** not this process's any more: ended (a Stop elsewhere ended them), taken over by another instance, or deleted */
  lost: string[];
}

/**
 * The owner's heartbeat for its suite runs: one statement renews the lease of every one
 * still running and held by `lease.ownerId`, and says which of them to stop and which are
 * not its own any more (ids given that it did not renew).
 */
export async function renewSuiteRunLeases(ids: string[], lease: RunLease): Promise<SuiteRunRenewal> {
  if (ids.length === 0) return { stop: [], lost: [] };
  const { query } = await getDatabase();
  const rows = await query<{ id: string; stop: boolean }>(
    `UPDATE "SuiteRun" SET "leaseExpiresAt" = ${DB_NOW} + $3 * interval '1 millisecond'
     WHERE "id" = ANY($1::text[]) AND "ownerId" = $2 AND "status" = 'running'
     RETURNING "id", "cancelRequestedAt" IS NOT NULL AS "stop"`,
    [ids, lease.ownerId, lease.leaseMs],
  );
  const renewed = new Set(rows.map((row) => row.id));
  return {
    stop: rows.filter((row) => row.stop).map((row) => row.id),
    lost: ids.filter((id) => !renewed.has(id)),
  };
}

/**
 * Hands a suite run back (its owner, a server stopping): its lease ends now, so the next
 * heartbeat anywhere takes it over. False when `ownerId` did not hold it running.
 */
export async function releaseSuiteRun(id: string, ownerId: string): Promise<boolean> {
  const { query } = await getDatabase();
  const rows = await query(
    `UPDATE "SuiteRun" SET "leaseExpiresAt" = ${DB_NOW} - interval '1 millisecond'
     WHERE "id" = $1 AND "ownerId" = $2 AND "status" = 'running' RETURNING "id"`,
    [id, ownerId],
  );
  return rows.length > 0;
}

/**
 * Takes over the running suite runs of other owners whose lease has expired (their server
 * died or handed them back) or that have none (from before leases): each becomes `lease.ownerId`'s, its
 * lease starting now, and — unless someone asked it to stop — its `resumeCount` goes up by
 * one. One conditional statement, so of instances looking at once each suite run goes to
 * exactly one. `id` narrows it to one suite run; `anyLease` takes it whatever its lease
 * (the embedded database's start: nothing else can be executing it). Answers them with
 * their tasks and results as last saved.
 */
export async function takeOverSuiteRuns(
  lease: RunLease,
  scope: { id?: string; anyLease?: boolean } = {},
): Promise<SuiteRunRecord[]> {
  const { query, prisma } = await getDatabase();
  const rows = await query<{ id: string }>(
    `UPDATE "SuiteRun" SET "ownerId" = $1, "leaseExpiresAt" = ${DB_NOW} + $2 * interval '1 millisecond',
       "resumeCount" = "resumeCount" + CASE WHEN "cancelRequestedAt" IS NULL THEN 1 ELSE 0 END
     WHERE "status" = 'running' AND ($3::text IS NULL OR "id" = $3) AND "ownerId" IS DISTINCT FROM $1
       AND ($4::boolean OR "leaseExpiresAt" IS NULL OR "leaseExpiresAt" < ${DB_NOW})
     RETURNING "id"`,
    [lease.ownerId, lease.leaseMs, scope.id ?? null, scope.anyLease ?? false],
  );
  if (rows.length === 0) return [];
  const taken = await prisma.suiteRun.findMany({
    where: { id: { in: rows.map((row) => row.id) }, ownerId: lease.ownerId },
    orderBy: { createdAt: "asc" },
  });
  return taken.map(toRecord);
}

/** Whether a suite run has ended or was asked to stop (true too when it is not in this workspace). */
export async function isSuiteRunStopping({ id, workspaceId }: { id: string; workspaceId: string }): Promise<boolean> {
  const prisma = await getPrisma();
  const row = await prisma.suiteRun.findFirst({
    where: { id, workspaceId },
    select: { status: true, cancelRequestedAt: true },
  });
  return row?.status !== "running" || row.cancelRequestedAt !== null;
}

/** Marks a running suite run for stopping; false when it is not running (or not in this workspace). */
export async function requestSuiteRunCancel({
  id,
  workspaceId,
}: {
  id: string;
  workspaceId: string;
}): Promise<boolean> {
  const prisma = await getPrisma();
  const { count } = await prisma.suiteRun.updateMany({
    where: { id, workspaceId, status: "running" },
    data: { cancelRequestedAt: new Date() },
  });
  return count > 0;
}
