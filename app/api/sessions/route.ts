import { createSession, listSessions } from "@/lib/db/sessions";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { readJson, route } from "@/lib/http/route";
import { resolveModelForNewSession } from "@/lib/model/registry";
import { createSessionBody, DEFAULT_MAX_TURNS } from "@/lib/sessions/schema";

export const GET = route(async () => {
  const workspace = await getCurrentWorkspace();
  return Response.json({ sessions: await listSessions({ workspaceId: workspace.id }) });
});

export const POST = route(async (request) => {
  const body = await readJson(request, createSessionBody);
  const workspace = await getCurrentWorkspace();
  const modelId = resolveModelForNewSession(body.modelId);
  const session = await createSession({
    workspaceId: workspace.id,
    task: body.task,
    modelId,
    settings: { maxTurns: body.maxTurns ?? DEFAULT_MAX_TURNS },
  });
  return Response.json({ session }, { status: 201 });
});
