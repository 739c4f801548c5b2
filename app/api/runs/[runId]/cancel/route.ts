import { cancelRun } from "@/lib/agent/run";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";

type Context = { params: Promise<{ runId: string }> };

/** Stops a run: the upstream request is aborted, open steps become "interrupted" and keep their text. */
export const POST = route(async (_request, { params }: Context) => {
  const { runId } = await params;
  const workspace = await getCurrentWorkspace();
  return Response.json({ run: await cancelRun({ runId, workspaceId: workspace.id }) });
});
