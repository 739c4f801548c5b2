import { getSessionWithTree } from "@/lib/db/steps";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";
import { describeBranches } from "@/lib/steps/branches";

type Context = { params: Promise<{ id: string }> };

/** The session's branches (one per leaf) with their last step; switch with PATCH /api/sessions/:id {activeLeafId}. */
export const GET = route(async (_request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  const { session, steps } = await getSessionWithTree({ id, workspaceId: workspace.id });
  return Response.json({ activeLeafId: session.activeLeafId, branches: describeBranches(steps) });
});
