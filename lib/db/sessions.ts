import "server-only";
import { AppError } from "@/lib/http/errors";
import { titleFromTask } from "@/lib/sessions/schema";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import type { SessionSettings, SessionSummary, SkippedFile } from "@/lib/wire/sessions";
import { getPrisma } from "./client";
import { toSessionSummary } from "./mappers";
import { saveStartingFiles } from "./starting-files";
import { getStepInSession } from "./steps";
import { encodeDbText } from "./text-codec";

/** Time a session's creation may take with its starting files (20 MB of text on a busy machine). */
const CREATE_OPTIONS = { timeout: 60_000, maxWait: 10_000 };

/**
 * A new session: its task step, and its starting files when `starting` has any (stored
 * content-addressed, lib/db/starting-files.ts). All or nothing.
 */
export async function createSession({
  workspaceId,
  task,
  modelId,
  settings,
  starting,
  comparisonId,
  createdById = null,
}: {
  workspaceId: string;
  /** who makes it (the session's creator and its task step's author); null: no person */
  createdById?: string | null;
  task: string;
  modelId: string;
  settings: SessionSettings;
  starting?: { files: VirtualFiles; skipped: readonly SkippedFile[] };
  /** Compare: the sessions started together on this task share it (lib/db/comparisons.ts) */
  comparisonId?: string;
}): Promise<SessionSummary> {
  const prisma = await getPrisma();
  const session = await prisma.$transaction(async (tx) => {
    const created = await tx.session.create({
      data: {
        workspaceId,
        title: titleFromTask(task),
        modelId,
        settings,
        comparisonId: comparisonId ?? null,
        createdById,
      },
    });
    const taskStep = await tx.step.create({
      data: {
        sessionId: created.id,
        kind: "task",
        origin: "human",
        status: "done",
        userId: createdById,
        content: encodeDbText(task),
        finishedAt: new Date(),
      },
    });
    if (starting && (starting.files.size > 0 || starting.skipped.length > 0)) {
      await saveStartingFiles(tx, created.id, starting.files, starting.skipped);
    }
    return tx.session.update({ where: { id: created.id }, data: { activeLeafId: taskStep.id } });
  }, CREATE_OPTIONS);
  return toSessionSummary(session);
}

/** 404 `not_found:session`: what any caller is told of a session it may not see, whether or not it exists. */
export function sessionNotFound(): AppError {
  return new AppError("not_found:session", "This session doesn't exist, or it was deleted.");
}

export async function listSessions({ workspaceId, limit = 100 }: { workspaceId: string; limit?: number }) {
  const prisma = await getPrisma();
  const rows = await prisma.session.findMany({
    where: { workspaceId },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  return rows.map(toSessionSummary);
}

export async function getSessionById({
  id,
  workspaceId,
}: {
  id: string;
  workspaceId: string;
}): Promise<SessionSummary> {
  const prisma = await getPrisma();
  const row = await prisma.session.findFirst({ where: { id, workspaceId } });
  if (!row) throw sessionNotFound();
  return toSessionSummary(row);
}

/**
 * Renames a session of the workspace, changes its settings, or puts a branch on screen:
 * `activeLeafId` is a step of the session as readers see it (a run's step not written
 * yet included, lib/db/steps.ts). 404 `not_found:step` or `not_found:session`.
 */
export async function updateSession({
  id,
  workspaceId,
  title,
  settings,
  activeLeafId,
}: {
  id: string;
  workspaceId: string;
  title?: string;
  settings?: SessionSettings;
  activeLeafId?: string;
}): Promise<SessionSummary> {
  const prisma = await getPrisma();
  if (activeLeafId) await getStepInSession({ sessionId: id, workspaceId, stepId: activeLeafId });
  const { count } = await prisma.session.updateMany({
    where: { id, workspaceId },
    data: { title, settings, activeLeafId },
  });
  if (count === 0) throw sessionNotFound();
  return getSessionById({ id, workspaceId });
}

export async function deleteSession({ id, workspaceId }: { id: string; workspaceId: string }): Promise<void> {
  const prisma = await getPrisma();
  const { count } = await prisma.session.deleteMany({ where: { id, workspaceId } });
  if (count === 0) throw sessionNotFound();
}
