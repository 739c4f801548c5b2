import { startRun } from "@/lib/agent/run";
import { getSessionById } from "@/lib/db/sessions";
import { listSessionRuns } from "@/lib/db/steps";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { readJson, route } from "@/lib/http/route";
import { startRunBody } from "./schema";

type Context = { params: Promise<{ id: string }> };

export const GET = route(async (_request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  await getSessionById({ id, workspaceId: workspace.id });
  return Response.json({ runs: await listSessionRuns({ sessionId: id }) });
});

/** Starts a run continuing from `fromStepId` (default: the branch on screen); returns at once. */
export const POST = route(async (request, { params }: Context) => {
  const { id } = await params;
  const body = await readJson(request, startRunBody);
  const workspace = await getCurrentWorkspace();
  const run = await startRun({ sessionId: id, workspaceId: workspace.id, fromStepId: body.fromStepId });
  return Response.json({ run }, { status: 202 });
});
