import "server-only";
import type { SuiteRun } from "@/lib/generated/prisma/client.ts";
import { AppError } from "@/lib/http/errors";
import { settleResults } from "@/lib/suites/report";
import type { SuiteResult, SuiteRunStatus, SuiteTask } from "@/lib/suites/types";
import type { SuiteRunView } from "@/lib/wire/suites";
import { getPrisma } from "./client";
import { decodeDbJson, encodeDbJson } from "./text-codec";

/** The row with its tasks (hidden tests included), for the runner. */
export interface SuiteRunRecord extends SuiteRunView {
  fullTasks: SuiteTask[];
  cancelRequested: boolean;
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
    cancelRequested: row.cancelRequestedAt !== null,
  };
}

/** The view: what a client may see of a record. */
export function toSuiteRunView({ fullTasks: _tasks, cancelRequested: _cancel, ...view }: SuiteRunRecord): SuiteRunView {
  return view;
}

export async function insertSuiteRun({
  workspaceId,
  suiteName,
  modelIds,
  concurrency,
  tasks,
  results,
}: {
  workspaceId: string;
  suiteName: string;
  modelIds: string[];
  concurrency: number;
  tasks: SuiteTask[];
  results: SuiteResult[];
}): Promise<SuiteRunRecord> {
  const prisma = await getPrisma();
  const row = await prisma.suiteRun.create({
    data: {
      workspaceId,
      suiteName,
      modelIds,
      concurrency,
      status: "running",
      tasks: encodeDbJson(tasks) as object[],
      results: encodeDbJson(results) as object[],
    },
  });
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

export async function saveSuiteResults({
  id,
  workspaceId,
  results,
}: {
  id: string;
  workspaceId: string;
  results: SuiteResult[];
}): Promise<void> {
  const prisma = await getPrisma();
  // a suite run that has ended (a Stop on another instance ended it) keeps its results
  await prisma.suiteRun.updateMany({
    where: { id, workspaceId, status: "running" },
    data: { results: encodeDbJson(results) as object[] },
  });
}

export async function finishSuiteRun({
  id,
  workspaceId,
  status,
  results,
}: {
  id: string;
  workspaceId: string;
  status: SuiteRunStatus;
  results: SuiteResult[];
}): Promise<void> {
  const prisma = await getPrisma();
  // only once: whoever ends it first (its runner, or a Stop where no runner is) records the end
  await prisma.suiteRun.updateMany({
    where: { id, workspaceId, status: "running" },
    data: { status, results: encodeDbJson(results) as object[], finishedAt: new Date() },
  });
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
