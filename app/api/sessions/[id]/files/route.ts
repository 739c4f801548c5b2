import { saveFile } from "@/lib/agent/edits";
import { getSessionById } from "@/lib/db/sessions";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { readJson, route } from "@/lib/http/route";
import { saveFileBody } from "./schema";

type Context = { params: Promise<{ id: string }> };

/** A person saved a file in the editor: a new step after `afterStepId` that writes it. */
export const POST = route(async (request, { params }: Context) => {
  const { id } = await params;
  const body = await readJson(request, saveFileBody);
  const workspace = await getCurrentWorkspace();
  await getSessionById({ id, workspaceId: workspace.id });
  const step = await saveFile({ sessionId: id, ...body });
  return Response.json({ step }, { status: 201 });
});
