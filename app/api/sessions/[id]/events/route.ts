import { revokedSignal } from "@/lib/auth/credentials";
import { getSessionWithTree } from "@/lib/db/steps";
import { AppError } from "@/lib/http/errors";
import { sessionRoute } from "@/lib/http/route";
import { getSessionBus } from "@/lib/realtime/bus";
import { BranchView } from "@/lib/realtime/share-view";
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

/**
 * The session's live stream. A branch share link sees its branch only (BranchView, seeded
 * from the database when a reconnect skips the snapshot); a share link's or API token's
 * stream ends with an `ended` message when it is revoked.
 */
export const GET = sessionRoute(
  "sessions:read",
  async (request, { caller, session }) => {
    const { id } = session;
    const after = readAfter(request);
    const loadTree = () => getSessionWithTree({ id, workspaceId: caller.workspaceId });
    const branch = caller.share?.leafId ? new BranchView(caller.share.leafId) : null;
    if (branch && after !== null) branch.seed(await loadTree());
    const stream = openSessionStream({
      bus: getSessionBus(),
      sessionId: id,
      after,
      signal: request.signal,
      loadSnapshot: loadTree,
      view: branch ? (message) => branch.filter(message) : undefined,
      ended: revokedSignal(caller, request.signal),
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  },
  { shareable: true },
);
