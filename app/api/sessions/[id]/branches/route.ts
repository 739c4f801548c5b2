import { getSessionWithTree } from "@/lib/db/steps";
import { sessionRoute } from "@/lib/http/route";
import { describeBranches } from "@/lib/steps/branches";

/** The session's branches (one per leaf) with their last step; switch with PATCH /api/sessions/:id {activeLeafId}. */
export const GET = sessionRoute("sessions:read", async (_request, { caller, session: { id } }) => {
  const { session, steps } = await getSessionWithTree({ id, workspaceId: caller.workspaceId });
  return Response.json({ activeLeafId: session.activeLeafId, branches: describeBranches(steps) });
});
