/**
 * Review of a branch, as on a pull request (issue 12 item 4), and the workspace's "Needs
 * review" queue. Dates are ISO strings.
 */

/** A verdict on a branch: someone asks for review, or a reviewer approves it or asks for changes. */
export const REVIEW_VERDICTS = ["requested", "approved", "changes_requested"] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

/** The longest review summary, in characters. */
export const MAX_SUMMARY_LENGTH = 4_000;

/** One verdict on one branch (the branch ending at `leafId`). A branch's state is its newest. */
export interface BranchReviewView {
  id: string;
  sessionId: string;
  leafId: string;
  verdict: ReviewVerdict;
  summary: string;
  /** the person's display name; null when they are gone */
  by: string | null;
  createdAt: string;
}

/** POST /api/sessions/:id/reviews. `summary` is required (1–4,000 characters) with `changes_requested`. */
export interface CreateReviewBody {
  leafId: string;
  verdict: ReviewVerdict;
  summary?: string;
}

/** One thing in the workspace waiting for someone's review. */
export type ReviewQueueItem =
  | {
      kind: "branch";
      sessionId: string;
      sessionTitle: string;
      leafId: string;
      /** who asked, and what they wrote */
      review: BranchReviewView;
      at: string;
    }
  | {
      kind: "approval";
      sessionId: string;
      sessionTitle: string;
      runId: string;
      /** when the run paused for the approval */
      at: string;
    };

/** GET /api/reviews: everything waiting, newest first, and how many of each kind. */
export interface ReviewQueue {
  items: ReviewQueueItem[];
  counts: { branches: number; approvals: number; total: number };
}
