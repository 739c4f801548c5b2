import { reviewQueue } from "@/lib/db/reviews";
import { workspaceRoute } from "@/lib/http/route";

/**
 * The workspace's "Needs review" queue: branches asking for review, runs waiting for an
 * approval and open comment threads (flagged when they @mention the caller), newest first.
 */
export const GET = workspaceRoute("sessions:read", async (_request, { caller }) =>
  Response.json(await reviewQueue({ workspaceId: caller.workspaceId, userId: caller.userId })),
);
