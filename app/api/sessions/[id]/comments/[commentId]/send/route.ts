import { sessionRoute } from "@/lib/http/route";
import { previewCommentSend, sendCommentToModel } from "@/lib/review/send-comment";

/**
 * What Send to model would do (`{ replayAs }`): ride in the tool result the comment's step
 * ends with, or be a new message. Nothing changes. 404 `not_found:comment`.
 */
export const GET = sessionRoute<{ id: string; commentId: string }>(
  "runs:start",
  async (_request, { caller, session, params }) =>
    Response.json(await previewCommentSend({ caller, session, commentId: params.commentId })),
);

/** Send to model: the comment becomes a step after its step (inside the tool result there, if any) and a run continues from it. */
export const POST = sessionRoute<{ id: string; commentId: string }>(
  "runs:start",
  async (_request, { caller, session, params }) => {
    const { step, run } = await sendCommentToModel({ caller, session, commentId: params.commentId });
    return Response.json({ step, run }, { status: 202 });
  },
);
