import { reviewQueue } from "@/lib/db/reviews";
import { workspaceRoute } from "@/lib/http/route";
import { queueKindsOf } from "@/lib/review/queue-kinds";

/**
 * The workspace's "Needs review" queue: branches asking for review, runs waiting for an
 * approval and open comment threads (flagged when they @mention the caller), newest first,
 * of the kinds the caller can act on (a viewer: open threads only).
 */
export const GET = workspaceRoute("sessions:read", async (_request, { caller }) =>
  Response.json(
    await reviewQueue({ workspaceId: caller.workspaceId, userId: caller.userId, kinds: queueKindsOf(caller) }),
  ),
);
