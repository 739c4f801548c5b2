import { changeMembership } from "@/lib/auth/members";
import { memberRoleBody } from "@/lib/auth/workspace-schema";
import { readJson, workspaceRoute } from "@/lib/http/route";

type Params = { memberId: string };

/** `{ role }`: a member's new role. Only owners make or unmake owners; the last owner stays one (409). */
export const PATCH = workspaceRoute<Params>("members:manage", async (request, { caller, params }) => {
  const { role } = await readJson(request, memberRoleBody);
  await changeMembership(caller, params.memberId, role);
  return new Response(null, { status: 204 });
});

/** Removes a member from the caller's workspace (not its last owner: 409). */
export const DELETE = workspaceRoute<Params>("members:manage", async (_request, { caller, params }) => {
  await changeMembership(caller, params.memberId, null);
  return new Response(null, { status: 204 });
});
