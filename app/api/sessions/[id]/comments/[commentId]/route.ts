import { authorOf } from "@/lib/auth/authors";
import { changeComment } from "@/lib/comments/service";
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
