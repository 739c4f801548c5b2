import { deleteSessionStoppingRuns } from "@/lib/agent/session-delete";
import { updateSession } from "@/lib/db/sessions";
import { readJson, sessionRoute } from "@/lib/http/route";
import { patchSettings, updateSessionBody } from "@/lib/sessions/schema";

/** The session; a branch share link sees its own branch as the one open. */
export const GET = sessionRoute(
  "sessions:read",
  async (_request, { caller, session }) =>
    Response.json({ session: caller.share?.leafId ? { ...session, activeLeafId: caller.share.leafId } : session }),
  { shareable: true },
);

export const PATCH = sessionRoute("sessions:write", async (request, { caller, session: current }) => {
  const body = await readJson(request, updateSessionBody);
  const session = await updateSession({
    id: current.id,
    workspaceId: caller.workspaceId,
    title: body.title,
    activeLeafId: body.activeLeafId,
    settings: patchSettings(current.settings, body),
  });
  return Response.json({ session });
});

/** Deletes the session: its runs stop first (on any instance), and everyone watching it is told (lib/agent/session-delete.ts). */
export const DELETE = sessionRoute("sessions:write", async (_request, { caller, session }) => {
  await deleteSessionStoppingRuns({ sessionId: session.id, workspaceId: caller.workspaceId });
  return new Response(null, { status: 204 });
});
