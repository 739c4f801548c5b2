import { getComparisonView } from "@/lib/compare/load";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";

/** A comparison: each model's session, branch, latest run and numbers, and how they differ from the first model. */
export const GET = route(async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  return Response.json(await getComparisonView({ workspaceId: workspace.id, id }));
});
