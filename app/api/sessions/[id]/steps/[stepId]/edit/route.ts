import { editStep } from "@/lib/agent/edits";
import { getSessionById } from "@/lib/db/sessions";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { readJson, route } from "@/lib/http/route";
import { editStepBody } from "./schema";

type Context = { params: Promise<{ id: string; stepId: string }> };

/** Saves an edit of a task, thinking or text step as a new sibling; the original stays. */
export const POST = route(async (request, { params }: Context) => {
  const { id, stepId } = await params;
  const body = await readJson(request, editStepBody);
  const workspace = await getCurrentWorkspace();
  await getSessionById({ id, workspaceId: workspace.id });
  const step = await editStep({ sessionId: id, stepId, content: body.content });
  return Response.json({ step }, { status: 201 });
});
