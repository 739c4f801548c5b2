import { listPendingApprovals } from "@/lib/db/approvals";
import { workspaceRoute } from "@/lib/http/route";

/** The workspace's file writes waiting for a reviewer, newest first. */
export const GET = workspaceRoute("sessions:read", async (_request, { caller }) =>
  Response.json({ approvals: await listPendingApprovals({ workspaceId: caller.workspaceId }) }),
);
