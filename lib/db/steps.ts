import "server-only";
import type { Author } from "@/lib/auth/authors";
import { AppError } from "@/lib/http/errors";
import type { ProviderData, StepNode } from "@/lib/steps/types";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";
import { getDatabase, getPrisma } from "./client";
import { AUTHOR_INCLUDE, toSessionSummary, toStepColumns, toStepNode } from "./mappers";
import { listSessionRuns } from "./runs";
import { sessionNotFound } from "./sessions";
import { overlayPending } from "./step-rows";

const stepNotFound = () => new AppError("not_found:step", "That step is not part of this session.");

/**
 * A session of the workspace's steps, oldest first, as every reader sees them: the rows
 * with the states the write-behind queue has not written yet laid over them
 * (lib/db/step-rows.ts), so the page, the event stream's snapshot, branches and edits all
 * read their writes. Empty for a session of another workspace (every session has its
 * task step). With `authors: false` the steps come without their authors' names, in one
 * query instead of three (a run's turn loop, which starts every run, needs none).
 */
export async function listSessionSteps({
  sessionId,
  workspaceId,
  authors = true,
}: {
  sessionId: string;
  workspaceId: string;
  authors?: boolean;
}): Promise<StepNode[]> {
  const { prisma, stepRows } = await getDatabase();
  // Before the rows: a state that leaves the queue meanwhile was written, so the rows have it.
  const pending = stepRows.pendingOf(sessionId);
  const rows = await prisma.step.findMany({
    where: { sessionId, session: { workspaceId } },
    ...(authors ? { include: AUTHOR_INCLUDE } : {}),
    orderBy: { createdAt: "asc" },
  });
  return rows.length === 0 ? [] : overlayPending(rows.map(toStepNode), pending);
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
  const [steps, runs] = await Promise.all([
    listSessionSteps({ sessionId: id, workspaceId }),
    listSessionRuns({ sessionId: id, workspaceId }),
  ]);
  return { session: toSessionSummary(row), steps, runs };
}

/**
 * One step of a session of the workspace, as readers see it (its pending state, if the
 * write-behind queue holds one). 404 `not_found:step` otherwise.
 */
export async function getStepInSession({
  sessionId,
  workspaceId,
  stepId,
}: {
  sessionId: string;
  workspaceId: string;
  stepId: string;
}): Promise<StepNode> {
  const { prisma, stepRows } = await getDatabase();
  const pending = stepRows.pendingOf(sessionId).find((step) => step.id === stepId);
  if (pending) {
    if ((await prisma.session.count({ where: { id: sessionId, workspaceId } })) === 0) throw stepNotFound();
    return pending;
  }
  const row = await prisma.step.findFirst({
    where: { id: stepId, sessionId, session: { workspaceId } },
    include: AUTHOR_INCLUDE,
  });
  if (!row) throw stepNotFound();
  return toStepNode(row);
}

/** A step a person made, as `insertHumanStep` stores it. */
export type HumanStep = Pick<StepNode, "parentId" | "kind" | "origin" | "content" | "turn" | "editedFromId"> & {
  providerData: ProviderData | null;
};

/**
 * Saves a step a person made (done at once), recording its `author`, and makes it the
 * session's branch on screen, in one transaction. Answers the step (with its author's
 * name) and the session as they now are.
 */
export async function insertHumanStep({
  sessionId,
  workspaceId,
  step,
  author,
}: {
  sessionId: string;
  workspaceId: string;
  step: HumanStep;
  author: Author;
}): Promise<{ step: StepNode; session: SessionSummary }> {
  const prisma = await getPrisma();
  const now = new Date();
  const stored = toStepColumns(step);
  const { created, session } = await prisma.$transaction(async (tx) => {
    if ((await tx.session.count({ where: { id: sessionId, workspaceId } })) === 0) throw sessionNotFound();
    const created = await tx.step.create({
      data: {
        sessionId,
        parentId: step.parentId,
        kind: step.kind,
        origin: step.origin,
        status: "done",
        content: stored.content,
        turn: step.turn,
        editedFromId: step.editedFromId,
        providerData: (stored.providerData ?? undefined) as object | undefined,
        userId: author.userId,
        apiTokenId: author.apiTokenId,
        createdAt: now,
        finishedAt: now,
      },
      include: AUTHOR_INCLUDE,
    });
    const session = await tx.session.update({
      where: { id: sessionId, workspaceId },
      data: { activeLeafId: created.id },
    });
    return { created, session };
  });
  return { step: toStepNode(created), session: toSessionSummary(session) };
}
