import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/http/errors";
import { providerOfId } from "@/lib/model/providers";
import { buildExport, type ReviewRecords, type SessionExport } from "@/lib/project/export";
import { addText, newIntake, type ProjectLimits } from "@/lib/project/intake";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, isBranchEnd, pathTo } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import { DELETED_COMMENT_TEXT } from "@/lib/wire/comments";
import type { SessionSummary } from "@/lib/wire/sessions";
import { getPrisma } from "./client";
import { listComments } from "./comments";
import { toSessionSummary, toStepColumns } from "./mappers";
import { listBranchReviews } from "./reviews";
import { getSessionById } from "./sessions";
import { getStartingManifest, loadStartingFiles, saveStartingFiles } from "./starting-files";
import { listSessionSteps } from "./steps";
import { encodeDbJson } from "./text-codec";

/** A session's project at one step: what downloads, patches and exports are made of. */
export interface ProjectAtStep {
  session: SessionSummary;
  /** the branch from the task to the step, root first */
  path: StepNode[];
  /** the starting files (the project at the task step) */
  start: VirtualFiles;
  /** the files after the step */
  files: VirtualFiles;
}

/**
 * The project of a session in the workspace at `stepId` (default: the branch on screen).
 * 404 when the session is not in the workspace or the step is not in the session.
 */
export async function projectAtStep({
  sessionId,
  workspaceId,
  stepId,
}: {
  sessionId: string;
  workspaceId: string;
  stepId?: string;
}): Promise<ProjectAtStep> {
  const session = await getSessionById({ id: sessionId, workspaceId });
  const [steps, start] = await Promise.all([
    listSessionSteps({ sessionId, workspaceId }),
    loadStartingFiles({ sessionId, workspaceId }),
  ]);
  const index = indexSteps(steps);
  const target = stepId ?? session.activeLeafId;
  if (!target || !index.byId.has(target)) {
    throw new AppError("not_found:step", "That step is not part of this session.");
  }
  const path = pathTo(index, target);
  return { session, path, start, files: filesAt(path, start) };
}

/** The whole session as the versioned JSON export (docs/export-format.md). */
export async function exportSession({ id, workspaceId }: { id: string; workspaceId: string }): Promise<SessionExport> {
  const session = await getSessionById({ id, workspaceId });
  const [steps, start, manifest, review] = await Promise.all([
    listSessionSteps({ sessionId: id, workspaceId }),
    loadStartingFiles({ sessionId: id, workspaceId }),
    getStartingManifest({ sessionId: id, workspaceId }),
    readReviewRecords({ sessionId: id, workspaceId }),
  ]);
  return buildExport({
    session: {
      title: session.title,
      modelId: session.modelId,
      settings: session.settings,
      activeLeafId: session.activeLeafId,
    },
    steps,
    startingFiles: start,
    skipped: manifest?.skipped ?? [],
    review,
    exportedAt: new Date(),
  });
}

const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * A session of the workspace's approvals, comments and branch reviews as its export carries
 * them, oldest first: people by name, a pending approval as cancelled (its run doesn't travel).
 */
async function readReviewRecords({
  sessionId,
  workspaceId,
}: {
  sessionId: string;
  workspaceId: string;
}): Promise<ReviewRecords> {
  const prisma = await getPrisma();
  const [approvals, comments, reviews] = await Promise.all([
    prisma.approval.findMany({
      where: { sessionId, workspaceId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { decidedBy: { select: { name: true } } },
    }),
    listComments({ sessionId, workspaceId }),
    listBranchReviews({ sessionId, workspaceId }),
  ]);
  return {
    approvals: approvals.map((row) => ({
      stepId: row.stepId,
      status: row.status === "approved" || row.status === "rejected" ? row.status : "cancelled",
      leafId: row.leafId,
      editedContent: row.editedContent,
      comment: row.comment,
      by: row.decidedBy?.name ?? row.importedByName ?? null,
      decidedAt: isoOrNull(row.decidedAt),
      createdAt: row.createdAt.toISOString(),
    })),
    comments: comments.map((comment) => ({
      id: comment.id,
      stepId: comment.stepId,
      parentId: comment.parentId,
      by: comment.authorName,
      // a deleted first comment kept for its replies has no text; the format's comments always do
      body: comment.deletedAt === null ? comment.body : DELETED_COMMENT_TEXT,
      anchor: comment.anchor,
      resolvedAt: comment.resolvedAt,
      editedAt: comment.editedAt,
      createdAt: comment.createdAt,
    })),
    reviews: reviews.map((review) => ({
      leafId: review.leafId,
      verdict: review.verdict,
      summary: review.summary,
      by: review.by,
      createdAt: review.createdAt,
    })),
  };
}

/** Steps inserted per statement. */
const STEP_BATCH = 500;

/**
 * A parsed export as a new session of the workspace, with new ids, its whole tree, its review
 * (approvals, comments, branch reviews: people by name, lib/project/export.ts), its
 * starting files (checked against `limits` and the path rules, like an upload) and the
 * same branch on screen. All or nothing: any refusal leaves the database untouched. A
 * branch review on a step that later steps continue (an export from before reviews were
 * only of a branch's end, which POST …/reviews refuses as 400 `bad_request:leaf`) is left
 * out rather than refusing the file; `notices` says so, for the person importing.
 */
export async function importSession({
  workspaceId,
  data,
  limits,
  forkedFrom,
}: {
  workspaceId: string;
  data: SessionExport;
  limits: ProjectLimits;
  /** a fork of a shared session (lib/db/forks.ts): where it came from */
  forkedFrom?: { sessionId: string; stepId: string };
}): Promise<{ session: SessionSummary; notices: string[] }> {
  if (!providerOfId(data.session.modelId)) {
    throw new AppError(
      "bad_request:import",
      `The export uses the model "${data.session.modelId}", which this server does not know. Nothing was imported.`,
    );
  }
  const intake = newIntake(limits);
  for (const file of data.startingFiles.files) addText(intake, file.path, file.content);

  const tree = indexSteps(data.steps);
  const reviews = (data.reviews ?? []).filter((review) => isBranchEnd(tree, review.leafId));
  const ids = new Map(data.steps.map((step) => [step.id, randomUUID()]));
  const newId = (id: string | null) => (id === null ? null : (ids.get(id) ?? null));
  const sessionId = randomUUID();
  const prisma = await getPrisma();
  const row = await prisma.$transaction(
    async (tx) => {
      await tx.session.create({
        data: {
          id: sessionId,
          workspaceId,
          title: data.session.title,
          modelId: data.session.modelId,
          settings: data.session.settings,
          forkedFromSessionId: forkedFrom?.sessionId ?? null,
          forkedFromStepId: forkedFrom?.stepId ?? null,
        },
      });
      const rows = data.steps
        .map((exported) => toStepColumns(exported))
        .map((step) => ({
          id: newId(step.id) as string,
          sessionId,
          parentId: newId(step.parentId),
          kind: step.kind,
          origin: step.origin,
          status: step.status,
          content: step.content,
          turn: step.turn,
          providerData: (step.providerData ?? undefined) as object | undefined,
          editedFromId: newId(step.editedFromId),
          inputTokens: step.inputTokens,
          outputTokens: step.outputTokens,
          reasoningTokens: step.reasoningTokens,
          reasoningEstimated: step.reasoningEstimated ?? null,
          costUsd: step.costUsd,
          createdAt: new Date(step.createdAt),
          firstTokenAt: step.firstTokenAt ? new Date(step.firstTokenAt) : null,
          finishedAt: step.finishedAt ? new Date(step.finishedAt) : null,
        }));
      for (let at = 0; at < rows.length; at += STEP_BATCH) {
        await tx.step.createMany({ data: rows.slice(at, at + STEP_BATCH) });
      }
      if (intake.files.size > 0 || data.startingFiles.skipped.length > 0) {
        await saveStartingFiles(tx, sessionId, intake.files, data.startingFiles.skipped);
      }
      // the review, its people by name only (importedByName): they are no users here
      await tx.approval.createMany({
        data: (data.approvals ?? []).map((approval) => ({
          workspaceId,
          sessionId,
          stepId: newId(approval.stepId) as string,
          status: approval.status,
          leafId: newId(approval.leafId) as string,
          editedContent: approval.editedContent,
          comment: approval.comment,
          importedByName: approval.by,
          decidedAt: approval.decidedAt ? new Date(approval.decidedAt) : null,
          createdAt: new Date(approval.createdAt),
        })),
      });
      const commentIds = new Map((data.comments ?? []).map((comment) => [comment.id, randomUUID()]));
      const comments = (data.comments ?? []).map((comment) => ({
        id: commentIds.get(comment.id) as string,
        workspaceId,
        sessionId,
        stepId: newId(comment.stepId) as string,
        parentId: comment.parentId === null ? null : (commentIds.get(comment.parentId) ?? null),
        importedByName: comment.by,
        body: comment.body,
        anchor: comment.anchor ? encodeDbJson(comment.anchor) : undefined,
        resolvedAt: comment.resolvedAt ? new Date(comment.resolvedAt) : null,
        editedAt: comment.editedAt ? new Date(comment.editedAt) : null,
        createdAt: new Date(comment.createdAt),
        updatedAt: new Date(comment.editedAt ?? comment.createdAt),
      }));
      // threads before their replies
      await tx.comment.createMany({ data: comments.filter((comment) => comment.parentId === null) });
      await tx.comment.createMany({ data: comments.filter((comment) => comment.parentId !== null) });
      await tx.branchReview.createMany({
        data: reviews.map((review) => ({
          sessionId,
          leafId: newId(review.leafId) as string,
          verdict: review.verdict,
          summary: review.summary,
          importedByName: review.by,
          createdAt: new Date(review.createdAt),
        })),
      });
      return tx.session.update({
        where: { id: sessionId },
        data: { activeLeafId: newId(data.session.activeLeafId) ?? rows[rows.length - 1]?.id ?? null },
      });
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  return { session: toSessionSummary(row), notices: reviewsLeftOut((data.reviews?.length ?? 0) - reviews.length) };
}

/** What the import's answer says about `count` branch reviews left out (none: nothing). */
function reviewsLeftOut(count: number): string[] {
  if (count === 0) return [];
  const which =
    count === 1
      ? "1 branch review was left out: it was on a step that later steps continue"
      : `${count} branch reviews were left out: each was on a step that later steps continue`;
  return [`${which}, and a review is of a branch's end (the step no step continues). The rest was imported.`];
}
