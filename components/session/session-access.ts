import { createContext, useContext } from "react";
import type { Scope } from "@/lib/auth/scopes";

/**
 * How the page on screen reaches its session and what the person may do there: the
 * scopes their caller holds in the session's workspace (lib/auth/scopes.ts, the one
 * table; the server resolved them for the page), and for a share link's viewer the
 * link's token, which each request for the session carries (`?share=`,
 * lib/wire/client.ts withShare). Every control shows only for the scope its route needs,
 * so a viewer sees no Run, Edit or Delete the server would refuse with a 403.
 */
export interface SessionAccess {
  /** the share link's token; null for a workspace member */
  share: string | null;
  scopes: ReadonlySet<Scope>;
  /**
   * the session was deleted while the page was open: what is on screen stays to read, and
   * nothing that asks the server for more of it (Export, the branch list, the review) shows
   */
  deleted: boolean;
}

/** The access of a page whose caller holds `scopes` (as the server sent them), through a share link's `share` token or not. */
export function sessionAccess(scopes: readonly Scope[], share: string | null = null): SessionAccess {
  return { share, scopes: new Set(scopes), deleted: false };
}

/** The access left on a member's page once its session is deleted: no scope, nothing to ask the server. */
export const DELETED_SESSION_ACCESS: SessionAccess = { share: null, scopes: new Set(), deleted: true };

/** Outside a session page nothing is allowed: a control shows only where a page said who may use it. */
export const SessionAccessContext = createContext<SessionAccess>(sessionAccess([]));

/** The access of the session view this component is in. */
export function useSessionAccess(): SessionAccess {
  return useContext(SessionAccessContext);
}

/** Whether the person on the page holds `scope` in the session's workspace (what the route behind a control checks). */
export function useCan(scope: Scope): boolean {
  return useContext(SessionAccessContext).scopes.has(scope);
}
