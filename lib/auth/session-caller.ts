import "server-only";
import { type Caller, scopesOf } from "@/lib/auth/scopes";
import { activeMembership } from "./members";
import { hasSessionCookie } from "./paths";
import { getAuth } from "./server";

/**
 * A request's headers for a direct better-auth call, which resolves its base URL from
 * the Host header: a Request made in code (tests, pages) has none, so its URL's is used.
 */
export function withHost(request: Request): Headers {
  const headers = new Headers(request.headers);
  if (!headers.has("host")) headers.set("host", new URL(request.url).host);
  return headers;
}

/** A signed-in browser's session: who, and which workspace it works in. */
export interface SignedIn {
  authSessionId: string;
  /** `emailVerified`: the address was confirmed through a mailed link (only possible with SMTP_URL) */
  user: { id: string; name: string; email: string; guest: boolean; emailVerified: boolean };
  activeWorkspaceId: string | null;
}

/**
 * The better-auth session a request's cookie proves, or null (no cookie, a forged or
 * expired one, signed out). Doesn't extend the session: that happens when the page
 * asks /api/auth/get-session, whose response can set the renewed cookie.
 */
export async function signedIn(request: Request): Promise<SignedIn | null> {
  if (!hasSessionCookie(request.headers.get("cookie"))) return null;
  const auth = await getAuth();
  const found = await auth.api.getSession({ headers: withHost(request), query: { disableRefresh: true } });
  if (!found) return null;
  return {
    authSessionId: found.session.id,
    user: {
      id: found.user.id,
      name: found.user.name,
      email: found.user.email,
      guest: Boolean(found.user.isAnonymous),
      emailVerified: found.user.emailVerified,
    },
    activeWorkspaceId: (found.session as { activeWorkspaceId?: string | null }).activeWorkspaceId ?? null,
  };
}

/**
 * The caller a sign-in cookie proves: the user, in the workspace their browser works in
 * (lib/auth/members.ts activeMembership), with that membership's role. Two queries per
 * request (session with user, membership); none per SSE event, which reuses the caller.
 */
export async function cookieCaller(request: Request): Promise<Caller | null> {
  const session = await signedIn(request);
  if (!session) return null;
  const membership = await activeMembership(session.user.id, session.activeWorkspaceId);
  return {
    workspaceId: membership.workspaceId,
    userId: session.user.id,
    role: membership.role,
    scopes: scopesOf(membership.role),
    via: "cookie",
  };
}
