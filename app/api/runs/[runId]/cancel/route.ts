import { cancelRun } from "@/lib/agent/run";
import { workspaceRoute } from "@/lib/http/route";

/** Stops a run: the upstream request is aborted, open steps become "interrupted" and keep their text. */
export const POST = workspaceRoute<{ runId: string }>("runs:start", async (_request, { caller, params }) => {
  return Response.json({ run: await cancelRun({ runId: params.runId, workspaceId: caller.workspaceId }) });
});
