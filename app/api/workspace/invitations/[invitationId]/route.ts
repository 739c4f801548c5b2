import { revokeInvitation } from "@/lib/auth/members";
import { workspaceRoute } from "@/lib/http/route";

/** Revokes an open invitation: its link stops working. */
export const DELETE = workspaceRoute<{ invitationId: string }>(
  "members:manage",
  async (_request, { caller, params }) => {
    await revokeInvitation(caller, params.invitationId);
    return new Response(null, { status: 204 });
  },
);
