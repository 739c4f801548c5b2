import "server-only";
import { AppError } from "@/lib/http/errors";
import { type SessionSettings, titleFromTask } from "@/lib/sessions/schema";
import { getPrisma } from "./client";
import { type SessionSummary, toSessionSummary } from "./mappers";

export async function createSession({
  workspaceId,
  task,
  modelId,
  settings,
}: {
  workspaceId: string;
  task: string;
  modelId: string;
  settings: SessionSettings;
}): Promise<SessionSummary> {
  const prisma = await getPrisma();
  const session = await prisma.$transaction(async (tx) => {
    const created = await tx.session.create({
      data: { workspaceId, title: titleFromTask(task), modelId, settings },
    });
    const taskStep = await tx.step.create({
      data: {
        sessionId: created.id,
        kind: "task",
        origin: "human",
        status: "done",
        content: task,
        finishedAt: new Date(),
      },
    });
    return tx.session.update({ where: { id: created.id }, data: { activeLeafId: taskStep.id } });
  });
  return toSessionSummary(session);
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
  if (!row) throw new AppError("not_found:session", "This session doesn't exist, or it was deleted.");
  return toSessionSummary(row);
}

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
  await getSessionById({ id, workspaceId });
  if (activeLeafId) {
    const step = await prisma.step.findFirst({ where: { id: activeLeafId, sessionId: id }, select: { id: true } });
    if (!step) throw new AppError("not_found:step", "That step is not part of this session.");
  }
  const row = await prisma.session.update({
    where: { id, workspaceId },
    data: { title, settings, activeLeafId },
  });
  return toSessionSummary(row);
}

export async function deleteSession({ id, workspaceId }: { id: string; workspaceId: string }): Promise<void> {
  const prisma = await getPrisma();
  const { count } = await prisma.session.deleteMany({ where: { id, workspaceId } });
  if (count === 0) throw new AppError("not_found:session", "This session doesn't exist, or it was deleted.");
}
