import { deliverInvitation } from "@/lib/auth/invitation-mail";
import { createInvitation, listInvitations } from "@/lib/auth/members";
import { invitationBody } from "@/lib/auth/workspace-schema";
import { readJson, workspaceRoute } from "@/lib/http/route";

/** The caller's workspace's invitations (their links are not kept: only shown once). */
export const GET = workspaceRoute("members:manage", async (_request, { caller }) =>
  Response.json({ invitations: await listInvitations(caller) }),
);

/**
 * `{ role, email? }`: a new invitation; the response carries its link path (`/invite/<token>`),
 * once, and `mail`: whether the link was mailed to `email` (SMTP_URL set), or why not.
 */
export const POST = workspaceRoute("members:manage", async (request, { caller }) => {
  const body = await readJson(request, invitationBody);
  const { invitation, token } = await createInvitation(caller, body);
  return Response.json(await deliverInvitation({ caller, request, invitation, token }), { status: 201 });
});
