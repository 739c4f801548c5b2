/**
 * Review comments (issue 12 item 1) as they cross the wire: a comment on a step, maybe
 * anchored to a character range of its text or to lines of the file it wrote, threaded
 * one level deep (replies point at the thread's first comment), resolvable per thread.
 * Plain JSON shapes (dates as ISO strings); both the server and the browser import them.
 */

/** Where a comment points inside its step; none: the whole step. */
export type CommentAnchor =
  /** characters `start` (inclusive) to `end` (exclusive) of the step's text, and the text they held */
  | { kind: "text"; start: number; end: number; quote: string }
  /** lines `startLine`..`endLine` (1-based, inclusive) of the file the step wrote, as the step left it */
  | { kind: "file"; path: string; startLine: number; endLine: number };

/** What stands for a deleted comment's text where a text is needed (an export, the editor's hover). */
export const DELETED_COMMENT_TEXT = "This comment was deleted.";

/** A workspace member as a comment names them (never an email). */
export interface CommentPerson {
  userId: string;
  name: string;
}

export interface CommentView {
  id: string;
  sessionId: string;
  stepId: string;
  /** the thread's first comment; null: this one starts a thread */
  parentId: string | null;
  /** the author's user id (null: a deleted account); only its author may edit a comment */
  authorId: string | null;
  /** the author by name, as the timeline names people ("Guest", "<token> (bot)") */
  authorName: string;
  body: string;
  anchor: CommentAnchor | null;
  /** the members it @mentions */
  mentions: CommentPerson[];
  /** on a thread's first comment: when it was resolved, and by whom; null: open */
  resolvedAt: string | null;
  resolvedByName: string | null;
  /** when its author last changed its text; null: never */
  editedAt: string | null;
  /**
   * when its author deleted it — only a thread's first comment with replies is kept so
   * (its text then empty, its replies readable); any other deleted comment is gone
   */
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** POST /api/sessions/:id/comments. A reply gives `parentId` (its thread) and no anchor. */
export interface CreateCommentBody {
  stepId: string;
  body: string;
  parentId?: string;
  anchor?:
    | { kind: "text"; start: number; end: number }
    | { kind: "file"; path: string; startLine: number; endLine: number };
}

/** PATCH /api/sessions/:id/comments/:commentId: new text (its author only), and/or resolve / reopen the thread. */
export interface UpdateCommentBody {
  body?: string;
  resolved?: boolean;
}

/** GET /api/sessions/:id/comments: every comment of the session, oldest first, and who may be @mentioned. */
export interface CommentList {
  comments: CommentView[];
  members: CommentPerson[];
  /** the caller's user id (whose comments they may edit); null without one */
  you: string | null;
}

/**
 * GET /api/sessions/:id/comments/:commentId/send: what Send to model would do, before it
 * is done. `tool_result`: the comment rides in the tool result its step ends with, so the
 * model keeps its thinking; `user_message`: it is a new message, and the model starts a
 * fresh turn (MiniMax drops the thinking of turns before a message).
 */
export interface SendCommentPreview {
  replayAs: "tool_result" | "user_message";
}
