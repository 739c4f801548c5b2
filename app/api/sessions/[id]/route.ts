import { stopSessionRuns } from "@/lib/agent/run";
import { deleteSession, getSessionById, updateSession } from "@/lib/db/sessions";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { readJson, route } from "@/lib/http/route";
import { updateSessionBody } from "@/lib/sessions/schema";

type Context = { params: Promise<{ id: string }> };

export const GET = route(async (_request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  return Response.json({ session: await getSessionById({ id, workspaceId: workspace.id }) });
});

export const PATCH = route(async (request, { params }: Context) => {
  const { id } = await params;
  const body = await readJson(request, updateSessionBody);
  const workspace = await getCurrentWorkspace();
  const current = await getSessionById({ id, workspaceId: workspace.id });
  const session = await updateSession({
    id,
    workspaceId: workspace.id,
    title: body.title,
    activeLeafId: body.activeLeafId,
    settings: body.maxTurns === undefined ? undefined : { ...current.settings, maxTurns: body.maxTurns },
  });
  return Response.json({ session });
});

export const DELETE = route(async (_request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  await getSessionById({ id, workspaceId: workspace.id });
  await stopSessionRuns(id);
  await deleteSession({ id, workspaceId: workspace.id });
  return new Response(null, { status: 204 });
});
