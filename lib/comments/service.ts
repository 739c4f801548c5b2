import "server-only";
import type { Author } from "@/lib/auth/authors";
import { createComment, deleteComment, updateComment } from "@/lib/db/comments";
import { getSessionBus } from "@/lib/realtime/bus";
import type { CommentView, CreateCommentBody, UpdateCommentBody } from "@/lib/wire/comments";

/**
 * Review comments as the routes make and change them: stored (lib/db/comments.ts), then
 * told to every viewer of the session through its event bus — in process, or through
 * Redis to every instance when REDIS_URL is set, exactly as steps travel. A later
 * feature that acts on a comment (e.g. sending it to the model) hooks in here, after the
 * comment is stored, without the routes changing.
 */
export async function writeComment(
  scope: { sessionId: string; workspaceId: string; author: Author },
  input: CreateCommentBody,
): Promise<CommentView> {
  const comment = await createComment({ ...scope, input });
  getSessionBus().publish(scope.sessionId, { type: "comment.created", comment });
  return comment;
}

/** Changes a comment (text: its author only; resolved: its thread) and tells every viewer. Answers it as it now is. */
export async function changeComment(
  scope: { sessionId: string; workspaceId: string; author: Author; commentId: string },
  change: UpdateCommentBody,
): Promise<CommentView> {
  const changed = await updateComment({ ...scope, ...change });
  for (const comment of changed) getSessionBus().publish(scope.sessionId, { type: "comment.updated", comment });
  const own = changed.find((comment) => comment.id === scope.commentId);
  return own ?? (changed[0] as CommentView);
}

/**
 * Deletes a comment (its author only) and tells every viewer: a thread's first comment
 * with replies as `comment.updated` (kept, marked deleted), anything removed as
 * `comment.deleted`.
 */
export async function removeComment(scope: {
  sessionId: string;
  workspaceId: string;
  author: Author;
  commentId: string;
}): Promise<void> {
  const { kept, removed } = await deleteComment(scope);
  const bus = getSessionBus();
  for (const comment of kept) bus.publish(scope.sessionId, { type: "comment.updated", comment });
  for (const commentId of removed) bus.publish(scope.sessionId, { type: "comment.deleted", commentId });
}
