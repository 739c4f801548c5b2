import { readJson, sessionRoute } from "@/lib/http/route";
import { selectStep } from "@/lib/realtime/presence";
import { presenceBody } from "./schema";

/**
 * The step this tab has selected (or null), for the session's other viewers (presence).
 * The tab must have its event stream open with `?viewer=` — else 404 `not_found:viewer`.
 * 204.
 */
export const POST = sessionRoute(
  "sessions:read",
  async (request, { caller, session }) => {
    const body = await readJson(request, presenceBody);
    await selectStep({
      sessionId: session.id,
      workspaceId: caller.workspaceId,
      viewerId: body.viewerId.toLowerCase(),
      caller,
      stepId: body.stepId,
    });
    return new Response(null, { status: 204 });
  },
  { shareable: true },
);
