import { getSessionWithTree } from "@/lib/db/steps";
import { AppError } from "@/lib/http/errors";
import { sessionRoute } from "@/lib/http/route";
import { getSessionBus } from "@/lib/realtime/bus";
import { openSessionStream } from "@/lib/realtime/sse";

export const dynamic = "force-dynamic";

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

export const GET = sessionRoute("sessions:read", async (request, { caller, session }) => {
  const { id } = session;
  const after = readAfter(request);
  const stream = openSessionStream({
    bus: getSessionBus(),
    sessionId: id,
    after,
    signal: request.signal,
    loadSnapshot: () => getSessionWithTree({ id, workspaceId: caller.workspaceId }),
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
