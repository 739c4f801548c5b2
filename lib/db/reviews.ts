import "server-only";
import { AppError } from "@/lib/http/errors";
import type { BranchReviewView, ReviewQueue, ReviewQueueItem, ReviewVerdict } from "@/lib/wire/reviews";
import { getPrisma } from "./client";

/**
 * Branch reviews (issue 12 item 4): each verdict on a branch is a row, so a branch keeps
 * its history as a pull request does; its state is the newest row. The workspace's
 * "Needs review" queue lists branches whose newest verdict asks for review, and runs
 * paused for an approval. Every function acts on sessions of the caller's workspace only:
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
 * not in the workspace).
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
  const prisma = await getPrisma();
  const step = await prisma.step.findFirst({
    where: { id: leafId, sessionId, session: { workspaceId } },
    select: { id: true },
  });
  if (!step) throw new AppError("not_found:step", "That step is not part of this session.");
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

/** The newest verdict of each branch, from verdicts oldest first. */
export function latestPerBranch(reviews: readonly BranchReviewView[]): BranchReviewView[] {
  const latest = new Map<string, BranchReviewView>();
  for (const review of reviews) latest.set(`${review.sessionId}\u0000${review.leafId}`, review);
  return [...latest.values()];
}

/** Newest first, then the counts of each kind. */
export function queueOf(items: ReviewQueueItem[]): ReviewQueue {
  const sorted = [...items].sort((a, b) => b.at.localeCompare(a.at)).slice(0, QUEUE_LIMIT);
  const branches = items.filter((item) => item.kind === "branch").length;
  const approvals = items.length - branches;
  return { items: sorted, counts: { branches, approvals, total: items.length } };
}

/**
 * The workspace's "Needs review" queue: branches whose newest verdict is `requested`, and
 * runs waiting for an approval (the plan gate), newest first.
 */
export async function reviewQueue({ workspaceId }: { workspaceId: string }): Promise<ReviewQueue> {
  const prisma = await getPrisma();
  const [reviews, waiting] = await Promise.all([
    prisma.branchReview.findMany({
      where: { session: { workspaceId } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { ...REVIEW_SELECT, session: { select: { title: true } } },
    }),
    prisma.run.findMany({
      where: { status: "awaiting_approval", session: { workspaceId } },
      orderBy: { createdAt: "desc" },
      take: QUEUE_LIMIT,
      select: { id: true, sessionId: true, createdAt: true, session: { select: { title: true } } },
    }),
  ]);
  const titles = new Map(reviews.map((row) => [row.sessionId, row.session.title]));
  const branches: ReviewQueueItem[] = latestPerBranch(reviews.map(toView))
    .filter((review) => review.verdict === "requested")
    .map((review) => ({
      kind: "branch",
      sessionId: review.sessionId,
      sessionTitle: titles.get(review.sessionId) ?? "",
      leafId: review.leafId,
      review,
      at: review.createdAt,
    }));
  const approvals: ReviewQueueItem[] = waiting.map((run) => ({
    kind: "approval",
    sessionId: run.sessionId,
    sessionTitle: run.session.title,
    runId: run.id,
    at: run.createdAt.toISOString(),
  }));
  return queueOf([...branches, ...approvals]);
}
