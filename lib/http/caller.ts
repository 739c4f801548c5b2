import "server-only";
import { callerFromApiToken, callerFromShareToken } from "@/lib/auth/credentials";
import type { Caller } from "@/lib/auth/scopes";
import { cookieCaller } from "@/lib/auth/session-caller";
import { bearerToken, type TokenKind, tokenKind } from "@/lib/auth/tokens";

/** The query parameter a share viewer's page sends its link's token in (EventSource can't send headers). */
export const SHARE_QUERY = "share";

/**
 * The share link or API token a request carries: `Authorization: Bearer <token>` (an API
 * token, or a share token), or a share token in `?share=`. `undefined` when it carries
 * none; a malformed one is `null` (the request proves nothing, it doesn't fall back to
 * another identity).
 */
function credentialOf(request: Request): { kind: TokenKind; token: string } | null | undefined {
  const bearer = bearerToken(request.headers);
  const token = bearer ?? new URL(request.url).searchParams.get(SHARE_QUERY);
  if (token === null) return request.headers.has("authorization") ? null : undefined;
  const kind = tokenKind(token);
  if (kind === null || (bearer === null && kind !== "share")) return null;
  return { kind, token };
}

/**
 * Who sent a request: the Caller every route helper and page passes to the data layer,
 * or null when the request proves no identity (→ 401 in a route; a page sends the
 * browser for a guest account or to sign in). Resolved once per request, never per SSE
 * event. A chain, strongest claim first: an API token or share token
 * (lib/auth/credentials.ts, cached by hash, so no query on most requests) — a request
 * that carries one never falls back to its cookie —, then the sign-in cookie
 * (lib/auth/session-caller.ts: the user in the workspace their browser works in).
 */
export async function resolveCaller(request: Request): Promise<Caller | null> {
  const credential = credentialOf(request);
  if (credential === null) return null;
  if (credential) {
    return credential.kind === "api" ? callerFromApiToken(credential.token) : callerFromShareToken(credential.token);
  }
  return cookieCaller(request);
}

/**
 * Whether a caller may open a session by this id before any query: a share link opens its
 * own session only; anyone else any session, which the query then scopes to their workspace.
 */
export function mayOpenSession(caller: Caller, sessionId: string): boolean {
  return !caller.share || caller.share.sessionId === sessionId;
}
