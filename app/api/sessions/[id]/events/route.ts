import { revokedSignal } from "@/lib/auth/credentials";
import { getBranchView, getSharedBranchSnapshot } from "@/lib/db/branch-view";
import { AppError } from "@/lib/http/errors";
import { isPlausibleId } from "@/lib/http/input";
import { sessionRoute } from "@/lib/http/route";
import { getSessionBus } from "@/lib/realtime/bus";
import { trackViewer } from "@/lib/realtime/presence";
import { BranchView, sharedTreeView } from "@/lib/realtime/share-view";
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

/** `?leaf=`: the branch the snapshot outlines (its latest continuation); else the session's active branch. */
function readLeaf(request: Request): string | null {
  const leaf = new URL(request.url).searchParams.get("leaf");
  if (leaf === null || leaf === "") return null;
  if (!isPlausibleId(leaf)) throw new AppError("bad_request:leaf", "`leaf` must be the id of a step of this session.");
  return leaf;
}

/** `?viewer=`: the tab's own id (a UUID), for presence; absent or malformed: the stream counts as no one. */
function readViewer(request: Request): string | null {
  const viewer = new URL(request.url).searchParams.get("viewer");
  return viewer && UUID.test(viewer) ? viewer.toLowerCase() : null;
}

const STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The session's live stream. Its snapshot carries the branch asked for (`?leaf=`) as the
 * page does: outline and last steps (lib/db/branch-view.ts). A branch share link sees its
 * branch only (BranchView, seeded from the database when a reconnect skips the snapshot);
 * a share link's or API token's stream ends with an `ended` message when it is revoked.
 * A stream that names its tab (`?viewer=`) is that tab's presence (lib/realtime/presence.ts)
 * for as long as it is open; a share link's visitor is counted but is never told who else views.
 */
export const GET = sessionRoute(
  "sessions:read",
  async (request, { caller, session }) => {
    const { id } = session;
    const after = readAfter(request);
    const leafId = readLeaf(request);
    // HEAD runs this handler, but Next.js never reads its body, and the response finishes
    // normally (request.signal never aborts): a stream opened for it would stay open for good
    if (request.method === "HEAD") return new Response(null, { headers: STREAM_HEADERS });
    const sharedLeaf = caller.share?.leafId ?? null;
    const branch = sharedLeaf ? new BranchView(sharedLeaf) : null;
    const loadShared = (leaf: string) => getSharedBranchSnapshot({ id, workspaceId: caller.workspaceId, leafId: leaf });
    if (branch && sharedLeaf && after !== null) branch.seed(await loadShared(sharedLeaf));
    const viewerId = readViewer(request);
    const presence = viewerId
      ? trackViewer({ sessionId: id, workspaceId: caller.workspaceId, viewerId, caller })
      : Promise.resolve(() => {});
    const stream = openSessionStream({
      bus: getSessionBus(),
      sessionId: id,
      after,
      signal: request.signal,
      loadSnapshot: () =>
        sharedLeaf ? loadShared(sharedLeaf) : getBranchView({ id, workspaceId: caller.workspaceId, leafId }),
      view: branch ? (message) => branch.filter(message) : caller.via === "share" ? sharedTreeView : undefined,
      ended: revokedSignal(caller, request.signal),
      onClose: () => void presence.then((leave) => leave()),
    });
    return new Response(stream, { headers: STREAM_HEADERS });
  },
  { shareable: true },
);
