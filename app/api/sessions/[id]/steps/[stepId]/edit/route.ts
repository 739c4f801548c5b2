import { authorOf } from "@/lib/auth/authors";
import { readJson, sessionRoute } from "@/lib/http/route";
import { editStep } from "@/lib/sessions/edits";
import { editStepBody } from "./schema";

/** Saves an edit of a task, thinking or text step as a new sibling; the original stays. */
export const POST = sessionRoute<{ id: string; stepId: string }>(
  "steps:edit",
  async (request, { caller, session, params }) => {
    const body = await readJson(request, editStepBody);
    const step = await editStep({
      sessionId: session.id,
      workspaceId: caller.workspaceId,
      stepId: params.stepId,
      content: body.content,
      author: authorOf(caller),
    });
    return Response.json({ step }, { status: 201 });
  },
);
