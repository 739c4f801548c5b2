import { getComparisonView } from "@/lib/compare/load";
import { workspaceRoute } from "@/lib/http/route";

/** A comparison: each model's session, branch, latest run and numbers, and how they differ from the first model. */
export const GET = workspaceRoute<{ id: string }>("sessions:read", async (_request, { caller, params }) => {
  return Response.json(await getComparisonView({ workspaceId: caller.workspaceId, id: params.id }));
});
