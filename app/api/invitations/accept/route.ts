import { requireBrowser } from "@/lib/auth/account";
import { acceptInvitation } from "@/lib/auth/members";
import { acceptInvitationBody } from "@/lib/auth/workspace-schema";
import { readJson, workspaceRoute } from "@/lib/http/route";
import { mailEnabled } from "@/lib/mail/send";

/**
 * `{ token }`: the signed-in browser's user joins the invitation's workspace and works in it
 * from now on. Where mail is on, an invitation addressed to an email needs that confirmed
 * email (403 `forbidden:invitation_email`).
 */
export const POST = workspaceRoute("sessions:read", async (request) => {
  const { token } = await readJson(request, acceptInvitationBody);
  const browser = await requireBrowser(request);
  const workspace = await acceptInvitation({
    token,
    userId: browser.user.id,
    authSessionId: browser.authSessionId,
    account: browser.user,
    mailOn: mailEnabled(),
  });
  return Response.json({ workspace });
});
