/**
 * Who may do what: roles in a workspace, the named scopes a request may need, and the one
 * table mapping each role to its scopes (issue 8). Pure, so the proxy, route helpers,
 * pages and the permission-matrix test all import the same table.
 */

/** A member's role in a workspace, most powerful first. */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a request may need, `<object>:<verb>`. `sessions:read` covers everything inside a
 * session (steps, runs, files, exports); `runs:start` also covers stopping runs and
 * running tests, since both execute or stop work on the workspace's account.
 * `comments:write` covers writing, editing (one's own) and resolving review comments.
 * `approvals:decide` is the plan gate: approving, editing or rejecting a paused file write.
 */
export const SCOPES = [
  "sessions:read",
  "sessions:write",
  "runs:start",
  "steps:edit",
  "approvals:decide",
  "shares:manage",
  "members:manage",
  "tokens:manage",
  "reviews:write",
  "comments:write",
] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * The one table from roles to scopes. Owners and admins hold every scope (what only an
 * owner may do, such as leaving as the last owner, is a rule on memberships, not a
 * scope); members work in sessions, review branches and manage their own share links and
 * API tokens; viewers read, and comment: reviewing is what a viewer is there for, as in a
 * code review tool, and a comment changes nothing the model or the branch sees.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  owner: SCOPES,
  admin: SCOPES,
  member: [
    "sessions:read",
    "sessions:write",
    "runs:start",
    "steps:edit",
    "approvals:decide",
    "shares:manage",
    "tokens:manage",
    "reviews:write",
    "comments:write",
  ],
  viewer: ["sessions:read", "comments:write"],
};

/** How a request proved who it is: the local single-user instance, a sign-in cookie, an API token or a share link. */
export type CallerVia = "local" | "cookie" | "token" | "share";

/**
 * The resolved identity of one request (lib/http/caller.ts), passed to every data
 * function that reads or writes workspace data. `userId` is null for the local instance
 * and for anonymous share-link viewers. A share-link caller sees one session only
 * (`share.sessionId`), and only the branch ending at `share.leafId` when that is set.
 */
export interface Caller {
  workspaceId: string;
  userId: string | null;
  role: Role;
  scopes: ReadonlySet<Scope>;
  via: CallerVia;
  share?: { sessionId: string; leafId: string | null };
  /** the share link's or API token's id (via share / token): its streams end when it is revoked */
  credentialId?: string;
}

/** The scopes a role holds, as the set a Caller carries. */
export function scopesOf(role: Role): ReadonlySet<Scope> {
  return new Set(ROLE_SCOPES[role]);
}

/** Whether the caller holds a scope. */
export function hasScope(caller: Caller, scope: Scope): boolean {
  return caller.scopes.has(scope);
}
