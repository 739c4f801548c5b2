import { sessionRoute } from "@/lib/http/route";
import { sendCommentToModel } from "@/lib/review/send-comment";

/** Send to model: the comment becomes a step after its step (inside the tool result there, if any) and a run continues from it. */
export const POST = sessionRoute<{ id: string; commentId: string }>(
  "runs:start",
  async (_request, { caller, session, params }) => {
    const { step, run } = await sendCommentToModel({ caller, session, commentId: params.commentId });
    return Response.json({ step, run }, { status: 202 });
  },
);
