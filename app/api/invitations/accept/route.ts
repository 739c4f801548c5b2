import { requireBrowser } from "@/lib/auth/account";
import { acceptInvitation } from "@/lib/auth/members";
import { acceptInvitationBody } from "@/lib/auth/workspace-schema";
import { readJson, workspaceRoute } from "@/lib/http/route";

/** `{ token }`: the signed-in browser's user joins the invitation's workspace and works in it from now on. */
export const POST = workspaceRoute("sessions:read", async (request) => {
  const { token } = await readJson(request, acceptInvitationBody);
  const browser = await requireBrowser(request);
  const workspace = await acceptInvitation({ token, userId: browser.user.id, authSessionId: browser.authSessionId });
  return Response.json({ workspace });
});
