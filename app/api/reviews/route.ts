import { reviewQueue } from "@/lib/db/reviews";
import { workspaceRoute } from "@/lib/http/route";

/** The workspace's "Needs review" queue: branches asking for review and runs waiting for an approval, newest first. */
export const GET = workspaceRoute("sessions:read", async (_request, { caller }) =>
  Response.json(await reviewQueue({ workspaceId: caller.workspaceId })),
);
