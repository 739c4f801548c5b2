import { authorOf } from "@/lib/auth/authors";
import { writeComment } from "@/lib/comments/service";
import { listComments, listMentionable } from "@/lib/db/comments";
import { readJson, sessionRoute } from "@/lib/http/route";
import type { CommentList } from "@/lib/wire/comments";
import { createCommentBody } from "./schema";

/** The session's review comments, oldest first, and the members a comment may @mention (names only). */
export const GET = sessionRoute("sessions:read", async (_request, { caller, session }) => {
  const [comments, members] = await Promise.all([
    listComments({ sessionId: session.id, workspaceId: caller.workspaceId }),
    listMentionable({ workspaceId: caller.workspaceId }),
  ]);
  return Response.json({ comments, members, you: caller.userId } satisfies CommentList);
});

/** A new comment on a step (or a reply in a thread), told to every viewer live. 201 `{ comment }`. */
export const POST = sessionRoute("comments:write", async (request, { caller, session }) => {
  const body = await readJson(request, createCommentBody);
  const comment = await writeComment(
    { sessionId: session.id, workspaceId: caller.workspaceId, author: authorOf(caller) },
    body,
  );
  return Response.json({ comment }, { status: 201 });
});
