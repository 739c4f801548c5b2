import { liveStepsOf } from "@/lib/agent/step-writer";
import { getSessionById } from "@/lib/db/sessions";
import { getSessionWithTree } from "@/lib/db/steps";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { getSessionBus } from "@/lib/realtime/bus";
import { openSessionStream, overlayLiveSteps } from "@/lib/realtime/sse";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** `?after=N` (or EventSource's Last-Event-ID): the last sequence number the viewer has. */
function readAfter(request: Request): number | null {
  const raw = new URL(request.url).searchParams.get("after") ?? request.headers.get("last-event-id");
  if (raw === null || raw === "") return null;
  const after = Number(raw);
  if (!Number.isInteger(after) || after < 0) {
    throw new AppError("bad_request:after", "`after` must be a whole number: the last sequence number you received.");
  }
  return after;
}

export const GET = route(async (request, { params }: Context) => {
  const { id } = await params;
  const after = readAfter(request);
  const workspace = await getCurrentWorkspace();
  await getSessionById({ id, workspaceId: workspace.id });
  const stream = openSessionStream({
    bus: getSessionBus(),
    sessionId: id,
    after,
    signal: request.signal,
    loadSnapshot: async () =>
      overlayLiveSteps(await getSessionWithTree({ id, workspaceId: workspace.id }), liveStepsOf(id)),
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
