import "server-only";
import { type Caller, scopesOf } from "@/lib/auth/scopes";
import { getCurrentWorkspace } from "@/lib/db/workspaces";

/**
 * Who sent a request: the Caller every route helper and page passes to the data layer,
 * or null when the request proves no identity (→ 401 in a route). Resolved once per
 * request, never per SSE event. Until accounts arrive (issue 8: sign-in cookie, API
 * token, share-link token) every request is the local instance's owner acting in the
 * default workspace, which is looked up once per process, so this costs no database
 * round trip.
 */
export async function resolveCaller(_request: Request): Promise<Caller | null> {
  const workspace = await getCurrentWorkspace();
  return { workspaceId: workspace.id, userId: null, role: "owner", scopes: scopesOf("owner"), via: "local" };
}

/**
 * Whether a caller may open a session by this id before any query: a share link opens its
 * own session only; anyone else any session, which the query then scopes to their workspace.
 */
export function mayOpenSession(caller: Caller, sessionId: string): boolean {
  return !caller.share || caller.share.sessionId === sessionId;
}
