import { renameWorkspace } from "@/lib/auth/members";
import { workspaceBody } from "@/lib/auth/workspace-schema";
import { getWorkspace } from "@/lib/db/workspaces";
import { readJson, workspaceRoute } from "@/lib/http/route";

/** The caller's workspace: id, name, and the caller's role in it. */
export const GET = workspaceRoute("sessions:read", async (_request, { caller }) => {
  const { id, name } = await getWorkspace({ caller });
  return Response.json({ workspace: { id, name, role: caller.role } });
});

/** `{ name }`: renames the caller's workspace. */
export const PATCH = workspaceRoute("members:manage", async (request, { caller }) => {
  const { name } = await readJson(request, workspaceBody);
  await renameWorkspace(caller, name);
  return Response.json({ workspace: { id: caller.workspaceId, name, role: caller.role } });
});
