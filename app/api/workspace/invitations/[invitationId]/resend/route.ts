import { deliverInvitation } from "@/lib/auth/invitation-mail";
import { renewInvitation } from "@/lib/auth/members";
import { workspaceRoute } from "@/lib/http/route";

/**
 * Resends an open invitation: a new link (the old one stops working), good for 7 days from
 * now, mailed to its address when the instance sends mail; answered as a new invitation is
 * (`{ invitation, path, mail }`), so the link can be copied whatever became of the mail.
 */
export const POST = workspaceRoute<{ invitationId: string }>("members:manage", async (request, { caller, params }) => {
  const { invitation, token } = await renewInvitation(caller, params.invitationId);
  return Response.json(await deliverInvitation({ caller, request, invitation, token }));
});
