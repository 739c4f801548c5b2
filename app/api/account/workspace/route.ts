import { requireBrowser } from "@/lib/auth/account";
import { switchWorkspace } from "@/lib/auth/members";
import { switchWorkspaceBody } from "@/lib/auth/workspace-schema";
import { readJson, workspaceRoute } from "@/lib/http/route";

/** `{ workspaceId }`: the workspace this signed-in browser works in from now on (a member's only; else 404). */
export const POST = workspaceRoute("sessions:read", async (request) => {
  const { workspaceId } = await readJson(request, switchWorkspaceBody);
  const browser = await requireBrowser(request);
  await switchWorkspace({ authSessionId: browser.authSessionId, userId: browser.user.id, workspaceId });
  return new Response(null, { status: 204 });
});
