import "server-only";
import { authorLabel } from "@/lib/auth/authors";
import { AppError } from "@/lib/http/errors";
import type { QueueKinds } from "@/lib/review/queue-kinds";
import { indexSteps, isBranchEnd } from "@/lib/steps/tree";
import { ACTIVE_RUN_STATUSES } from "@/lib/steps/types";
import {
  type BranchReviewView,
  QUEUE_EXCERPT_LENGTH,
  type ReviewQueue,
  type ReviewQueueItem,
  type ReviewVerdict,
} from "@/lib/wire/reviews";
import { getDatabase, getPrisma } from "./client";
import { getStepInSession } from "./steps";

/**
 * Branch reviews (issue 12 item 4): each verdict on a branch is a row, so a branch keeps
 * its history as a pull request does; its state is the newest row. The workspace's
 * "Needs review" queue lists branches whose newest verdict asks for review, runs paused
 * for an approval and open comment threads. Every function acts on sessions of the caller's workspace only:
 * another workspace's session or step is 404.
 */

/** The most items the queue lists. */
const QUEUE_LIMIT = 200;

type ReviewRow = {
  id: string;
  sessionId: string;
  leafId: string;
  verdict: string;
  summary: string;
  createdAt: Date;
  user: { name: string } | null;
  importedByName: string | null;
};

const REVIEW_SELECT = {
  id: true,
  sessionId: true,
  leafId: true,
  verdict: true,
  summary: true,
  createdAt: true,
  user: { select: { name: true } },
  importedByName: true,
} as const;

function toView(row: ReviewRow): BranchReviewView {
  return {
    id: row.id,
    sessionId: row.sessionId,
    leafId: row.leafId,
    verdict: row.verdict as ReviewVerdict,
    summary: row.summary,
    by: row.user?.name ?? row.importedByName ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Records a verdict on the branch of a session of the workspace ending at `leafId`, by
 * `userId`. 404 `not_found:step` when the step is not in that session (or the session is
 * not in the workspace); 400 `bad_request:leaf` when a step continues it (it is not a
 * branch's end, `isBranchEnd`), counting steps a run made whose rows are not written yet;
 * 409 `conflict:run` while a run still adds to it (one started at `leafId`, or the run that
 * made it), whose next step would leave the verdict on a middle step.
 */
export async function addBranchReview({
  sessionId,
  workspaceId,
  leafId,
  verdict,
  summary,
  userId,
}: {
  sessionId: string;
  workspaceId: string;
  leafId: string;
  verdict: ReviewVerdict;
  summary: string;
  userId: string | null;
}): Promise<BranchReviewView> {
  const { prisma, stepRows } = await getDatabase();
  // Before the rows: a state that leaves the queue meanwhile was written, so the rows have it.
  const pending = stepRows.pendingOf(sessionId).filter((step) => step.parentId === leafId);
  // throws not_found:step; finds a step a run just made whose row is not written yet too
  const leaf = await getStepInSession({ sessionId, workspaceId, stepId: leafId });
  // a run going on from this end (started at it, or made it) makes it a middle step next
  const growing = await prisma.run.count({
    where: {
      sessionId,
      status: { in: [...ACTIVE_RUN_STATUSES] },
      OR: [{ fromStepId: leafId }, ...(leaf.runId ? [{ id: leaf.runId }] : [])],
    },
  });
  if (growing > 0) {
    throw new AppError(
      "conflict:run",
      "A run is still adding to this branch: ask for a review, or give one, once the run has ended.",
    );
  }
  const children = await prisma.step.findMany({
    where: { sessionId, parentId: leafId },
    select: { id: true, parentId: true, createdAt: true },
  });
  const shapes = [...children.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })), ...pending];
  if (!isBranchEnd(indexSteps(shapes), leafId)) {
    throw new AppError(
      "bad_request:leaf",
      "That step is not the end of a branch: later steps continue it. A review is on a whole branch, so send the id of its last step.",
    );
  }
  const row = await prisma.branchReview.create({
    data: { sessionId, leafId, verdict, summary, userId },
    select: REVIEW_SELECT,
  });
  return toView(row);
}

/** A session's verdicts (all branches, or the one ending at `leafId`), oldest first; none for another workspace's session. */
export async function listBranchReviews({
  sessionId,
  workspaceId,
  leafId,
}: {
  sessionId: string;
  workspaceId: string;
  leafId?: string;
}): Promise<BranchReviewView[]> {
  const prisma = await getPrisma();
  const rows = await prisma.branchReview.findMany({
    where: { sessionId, session: { workspaceId }, ...(leafId ? { leafId } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: REVIEW_SELECT,
  });
  return rows.map(toView);
}

/** Newest first, at most QUEUE_LIMIT of them: the queue's items from its parts. */
export function newestFirst(items: readonly ReviewQueueItem[]): ReviewQueueItem[] {
  return [...items].sort((a, b) => b.at.localeCompare(a.at)).slice(0, QUEUE_LIMIT);
}

type WaitingBranchRow = {
  id: string;
  importedByName: string | null;
  sessionId: string;
  leafId: string;
  summary: string;
  createdAt: Date;
  by: string | null;
  sessionTitle: string;
  total: bigint | number;
};

/**
 * Branches of the workspace whose newest verdict asks for review, newest first (at most
 * QUEUE_LIMIT), and how many in all. Only `requested` verdicts are read, each checked for
 * a newer verdict on its branch through the (sessionId, leafId, createdAt) index.
 */
async function waitingBranches(workspaceId: string): Promise<{ items: ReviewQueueItem[]; total: number }> {
  const prisma = await getPrisma();
  const rows = await prisma.$queryRaw<WaitingBranchRow[]>`
    SELECT r.id, r."sessionId", r."leafId", r.summary, r."createdAt", r."importedByName", u.name AS by,
           s.title AS "sessionTitle",
           count(*) OVER () AS total
    FROM "BranchReview" r
    JOIN "Session" s ON s.id = r."sessionId"
    LEFT JOIN "User" u ON u.id = r."userId"
    WHERE s."workspaceId" = ${workspaceId} AND r.verdict = 'requested'
      AND NOT EXISTS (
        SELECT 1 FROM "BranchReview" n
        WHERE n."sessionId" = r."sessionId" AND n."leafId" = r."leafId"
          AND (n."createdAt" > r."createdAt" OR (n."createdAt" = r."createdAt" AND n.id > r.id)))
    ORDER BY r."createdAt" DESC, r.id DESC
    LIMIT ${QUEUE_LIMIT}`;
  const items: ReviewQueueItem[] = rows.map((row) => {
    const review = toView({ ...row, verdict: "requested", user: row.by === null ? null : { name: row.by } });
    return {
      kind: "branch",
      sessionId: row.sessionId,
      sessionTitle: row.sessionTitle,
      leafId: row.leafId,
      review,
      at: review.createdAt,
    };
  });
  return { items, total: Number(rows[0]?.total ?? 0) };
}

type OpenThreadRow = {
  id: string;
  sessionId: string;
  stepId: string;
  excerpt: string;
  sessionTitle: string;
  userName: string | null;
  userAnonymous: boolean | null;
  tokenName: string | null;
  importedByName: string | null;
  replies: number;
  at: Date;
  mentionsYou: boolean;
  total: bigint | number;
  mentions: bigint | number;
};

/**
 * The workspace's open comment threads, the newest activity first (at most QUEUE_LIMIT),
 * with how many there are and how many @mention `userId`: only unresolved first comments
 * are read (with their replies and the mentions in them), never the resolved ones' rows.
 */
async function openThreads(
  workspaceId: string,
  userId: string | null,
): Promise<{ items: ReviewQueueItem[]; total: number; mentions: number }> {
  const prisma = await getPrisma();
  const rows = await prisma.$queryRaw<OpenThreadRow[]>`
    SELECT *, count(*) OVER () AS total, count(*) FILTER (WHERE "mentionsYou") OVER () AS mentions
    FROM (
      SELECT c.id, c."sessionId", c."stepId", left(c.body, ${QUEUE_EXCERPT_LENGTH}) AS excerpt,
             s.title AS "sessionTitle", u.name AS "userName", u."isAnonymous" AS "userAnonymous",
             t.name AS "tokenName", c."importedByName", count(r.id)::int AS replies,
             greatest(c."createdAt", max(r."createdAt")) AS at,
             EXISTS (
               SELECT 1 FROM "CommentMention" m JOIN "Comment" x ON x.id = m."commentId"
               WHERE m."userId" = ${userId} AND (x.id = c.id OR x."parentId" = c.id)) AS "mentionsYou"
      FROM "Comment" c
      JOIN "Session" s ON s.id = c."sessionId"
      LEFT JOIN "User" u ON u.id = c."authorId"
      LEFT JOIN "ApiToken" t ON t.id = c."apiTokenId"
      LEFT JOIN "Comment" r ON r."parentId" = c.id
      WHERE c."workspaceId" = ${workspaceId} AND c."parentId" IS NULL AND c."resolvedAt" IS NULL
      GROUP BY c.id, s.title, u.name, u."isAnonymous", t.name, c."importedByName"
    ) open
    ORDER BY at DESC, id DESC
    LIMIT ${QUEUE_LIMIT}`;
  const items: ReviewQueueItem[] = rows.map((row) => ({
    kind: "comment",
    sessionId: row.sessionId,
    sessionTitle: row.sessionTitle,
    stepId: row.stepId,
    commentId: row.id,
    authorName:
      authorLabel({
        user: row.userName === null ? null : { name: row.userName, isAnonymous: row.userAnonymous },
        apiToken: row.tokenName === null ? null : { name: row.tokenName },
      }) ??
      row.importedByName ??
      "Someone",
    excerpt: row.excerpt,
    replies: row.replies,
    mentionsYou: row.mentionsYou,
    at: row.at.toISOString(),
  }));
  return { items, total: Number(rows[0]?.total ?? 0), mentions: Number(rows[0]?.mentions ?? 0) };
}

/**
 * The workspace's "Needs review" queue for `userId`, of the kinds they can act on
 * (`kinds`, lib/review/queue-kinds.ts; a kind left out is neither listed nor counted):
 * branches whose newest verdict is `requested`, runs waiting for an approval (the plan
 * gate) and open comment threads (flagged when one of their comments @mentions `userId`),
 * newest first, with the count of each kind in all. Up to four statements, each scoped to
 * the workspace in SQL.
 */
export async function reviewQueue({
  workspaceId,
  userId,
  kinds,
}: {
  workspaceId: string;
  userId: string | null;
  kinds: QueueKinds;
}): Promise<ReviewQueue> {
  const prisma = await getPrisma();
  const runsWaiting = { status: "awaiting_approval", session: { workspaceId } } as const;
  const none = { items: [] as ReviewQueueItem[], total: 0, mentions: 0 };
  const [branches, waiting, approvals, threads] = await Promise.all([
    kinds.branches ? waitingBranches(workspaceId) : none,
    kinds.approvals
      ? prisma.run.findMany({
          where: runsWaiting,
          orderBy: { createdAt: "desc" },
          take: QUEUE_LIMIT,
          select: { id: true, sessionId: true, createdAt: true, session: { select: { title: true } } },
        })
      : [],
    kinds.approvals ? prisma.run.count({ where: runsWaiting }) : 0,
    kinds.comments ? openThreads(workspaceId, userId) : none,
  ]);
  const runs: ReviewQueueItem[] = waiting.map((run) => ({
    kind: "approval",
    sessionId: run.sessionId,
    sessionTitle: run.session.title,
    runId: run.id,
    at: run.createdAt.toISOString(),
  }));
  return {
    items: newestFirst([...branches.items, ...runs, ...threads.items]),
    counts: {
      branches: branches.total,
      approvals,
      comments: threads.total,
      mentions: threads.mentions,
      total: branches.total + approvals + threads.total,
    },
  };
}
