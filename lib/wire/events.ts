import type { BranchOutline } from "@/lib/steps/branch-outline";
import type { StepNode } from "@/lib/steps/types";
import type { CommentView } from "@/lib/wire/comments";
import type { Viewer } from "@/lib/wire/presence";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";

/**
 * Every event that crosses the wire on a session's SSE stream. The server publishes
 * them; the browser folds them into its state with `applySessionEvent`. Each carries
 * the session's sequence number, so a reconnect asks for what came after it.
 */
export type SessionEventPayload =
  | { type: "step.created"; step: StepNode }
  /** text appended to a streaming step; `offset` = content length before it, so replays are idempotent */
  | { type: "step.delta"; stepId: string; offset: number; text: string }
  | { type: "step.updated"; step: StepNode }
  /** a step viewers were shown that could not be saved: it is not part of the session */
  | { type: "step.removed"; stepId: string }
  | { type: "run.updated"; run: RunView }
  | { type: "session.updated"; session: SessionSummary }
  /** who is viewing the session now, and which step each has selected (the whole list, on every change) */
  | { type: "presence"; viewers: Viewer[] }
  /** a review comment was written (members only: never sent to a share link) */
  | { type: "comment.created"; comment: CommentView }
  /** a comment's text changed, or its thread was resolved or reopened */
  | { type: "comment.updated"; comment: CommentView }
  /**
   * the session was deleted: the last event of its channel. The server never forwards it as
   * data: a stream that gets it ends with `event: ended` (StreamEnded, code `deleted`).
   */
  | { type: "session.deleted" }
  /** a comment was deleted (with its replies, if any were left: none are, see lib/db/comments.ts) */
  | { type: "comment.deleted"; commentId: string };

export type SessionEvent = SessionEventPayload & { seq: number };

/**
 * What a new viewer gets first, as of `seq`: the session, its runs, the outline of the
 * branch it asked for (`?leaf=`) and that branch's last steps whole (`steps`, not the
 * whole tree: lib/steps/branch-outline.ts).
 */
export interface SessionSnapshot {
  type: "snapshot";
  seq: number;
  session: SessionSummary;
  steps: StepNode[];
  runs: RunView[];
  branch: BranchOutline;
}

export type SessionStreamMessage = SessionEvent | SessionSnapshot;
