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
    }
  | {
      /** an open (unresolved) comment thread */
      kind: "comment";
      sessionId: string;
      sessionTitle: string;
      /** the step the thread is on */
      stepId: string;
      /** the thread's first comment */
      commentId: string;
      /** who started the thread, as the timeline names people */
      authorName: string;
      /** the first comment's text, cut to QUEUE_EXCERPT_LENGTH characters */
      excerpt: string;
      /** how many replies it has */
      replies: number;
      /** a comment of the thread @mentions the caller */
      mentionsYou: boolean;
      /** the thread's newest comment (first or reply) */
      at: string;
    };

/** The most characters of a comment the queue shows. */
export const QUEUE_EXCERPT_LENGTH = 280;

/**
 * GET /api/reviews: everything waiting that the caller can act on, newest first (at most
 * 200 items), and how many of each kind there are in all; a kind the caller's role can't
 * act on (lib/review/queue-kinds.ts: a viewer's branches and approvals) is not listed and
 * counts 0. `mentions` counts the open threads among `comments` that @mention the caller;
 * `total` = branches + approvals + comments.
 */
export interface ReviewQueue {
  items: ReviewQueueItem[];
  counts: { branches: number; approvals: number; comments: number; mentions: number; total: number };
}
