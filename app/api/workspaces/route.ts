import { requireBrowser } from "@/lib/auth/account";
import { createWorkspace, switchWorkspace } from "@/lib/auth/members";
import { workspaceBody } from "@/lib/auth/workspace-schema";
import { readJson, workspaceRoute } from "@/lib/http/route";

/** `{ name }`: a new workspace, its creator the owner; this browser switches to it. */
export const POST = workspaceRoute("sessions:read", async (request) => {
  const { name } = await readJson(request, workspaceBody);
  const browser = await requireBrowser(request);
  const workspace = await createWorkspace(browser.user.id, name);
  await switchWorkspace({
    authSessionId: browser.authSessionId,
    userId: browser.user.id,
    workspaceId: workspace.workspaceId,
  });
  return Response.json({ workspace }, { status: 201 });
});
