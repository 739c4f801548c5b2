import { listMembers } from "@/lib/auth/members";
import { workspaceRoute } from "@/lib/http/route";

/** The caller's workspace's members: name, email (none for guests), role. */
export const GET = workspaceRoute("sessions:read", async (_request, { caller }) =>
  Response.json({ members: await listMembers(caller) }),
);
