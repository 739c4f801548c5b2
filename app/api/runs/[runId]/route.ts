import { getRun } from "@/lib/db/runs";
import { workspaceRoute } from "@/lib/http/route";

/**
 * One run of the workspace, `{ run }`, as the session's run list has it (resumesRunId and
 * resumedByRunId included). Scope sessions:read, as reading the session's runs; 404
 * `not_found:run` for an unknown id or another workspace's run.
 */
export const GET = workspaceRoute<{ runId: string }>("sessions:read", async (_request, { caller, params }) => {
  return Response.json({ run: await getRun({ runId: params.runId, workspaceId: caller.workspaceId }) });
});
