import "server-only";
import { AppError } from "@/lib/http/errors";
import type { StepNode } from "@/lib/steps/types";
import { getPrisma } from "./client";
import { type RunView, type SessionSummary, toRunView, toSessionSummary, toStepNode } from "./mappers";
import { sessionNotFound } from "./sessions";

export async function listSessionSteps({ sessionId }: { sessionId: string }): Promise<StepNode[]> {
  const prisma = await getPrisma();
  const rows = await prisma.step.findMany({ where: { sessionId }, orderBy: { createdAt: "asc" } });
  return rows.map(toStepNode);
}

export async function listSessionRuns({ sessionId }: { sessionId: string }): Promise<RunView[]> {
  const prisma = await getPrisma();
  const rows = await prisma.run.findMany({ where: { sessionId }, orderBy: { createdAt: "asc" } });
  return rows.map(toRunView);
}

/** Everything a viewer needs to draw a session: the session, its whole step tree, its runs. */
export async function getSessionWithTree({
  id,
  workspaceId,
}: {
  id: string;
  workspaceId: string;
}): Promise<{ session: SessionSummary; steps: StepNode[]; runs: RunView[] }> {
  const prisma = await getPrisma();
  const row = await prisma.session.findFirst({ where: { id, workspaceId } });
  if (!row) throw sessionNotFound();
  const [steps, runs] = await Promise.all([listSessionSteps({ sessionId: id }), listSessionRuns({ sessionId: id })]);
  return { session: toSessionSummary(row), steps, runs };
}

export async function getStepInSession({
  sessionId,
  stepId,
}: {
  sessionId: string;
  stepId: string;
}): Promise<StepNode> {
  const prisma = await getPrisma();
  const row = await prisma.step.findFirst({ where: { id: stepId, sessionId } });
  if (!row) throw new AppError("not_found:step", "That step is not part of this session.");
  return toStepNode(row);
}
