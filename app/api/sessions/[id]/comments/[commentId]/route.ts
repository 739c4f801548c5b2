import { authorOf } from "@/lib/auth/authors";
import { changeComment, removeComment } from "@/lib/comments/service";
import { readJson, sessionRoute } from "@/lib/http/route";
import { updateCommentBody } from "../schema";

/**
 * `{ body?, resolved? }`: new text (its author only, else 403 `forbidden:author`) and/or
 * resolve or reopen its thread. 200 `{ comment }`; 404 `not_found:comment` for a comment
 * that is not this session's.
 */
export const PATCH = sessionRoute<{ id: string; commentId: string }>(
  "comments:write",
  async (request, { caller, session, params }) => {
    const body = await readJson(request, updateCommentBody);
    const comment = await changeComment(
      { sessionId: session.id, workspaceId: caller.workspaceId, author: authorOf(caller), commentId: params.commentId },
      body,
    );
    return Response.json({ comment });
  },
);

/**
 * Deletes the comment (its author only, else 403 `forbidden:author`). 204. A thread's
 * first comment with replies stays, marked deleted and without its text, so the replies
 * stay readable. 404 `not_found:comment` for a comment that is not this session's.
 */
export const DELETE = sessionRoute<{ id: string; commentId: string }>(
  "comments:write",
  async (_request, { caller, session, params }) => {
    await removeComment({
      sessionId: session.id,
      workspaceId: caller.workspaceId,
      author: authorOf(caller),
      commentId: params.commentId,
    });
    return new Response(null, { status: 204 });
  },
);
