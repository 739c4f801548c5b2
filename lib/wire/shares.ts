/**
 * What crosses the wire about share links and personal API tokens (issue 8): the lists a
 * person manages them in, and the one response that carries a new secret. Nothing here
 * imports a server module: lib/db produces these shapes and the browser shows them.
 */
import type { Role } from "@/lib/auth/scopes";

/** What a link shares: the whole tree, or the branch ending at its `leafId` (and what grows after it). */
export type ShareScope = "tree" | "branch";

/** A share link as its session and workspace list it (never its token). Dates are ISO strings. */
export interface ShareLinkView {
  id: string;
  sessionId: string;
  sessionTitle: string;
  scope: ShareScope;
  leafId: string | null;
  status: "active" | "expired" | "revoked";
  /** the person who made it (their display name); null when made without an account or since deleted */
  createdBy: string | null;
  createdAt: string;
  /** when the current token was made: creation, or the last re-mint */
  mintedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** when someone last opened its page or stream (any token it has had); recorded at most once a minute */
  lastUsedAt: string | null;
}

/** A link just made or re-minted, with its token: the only time the token is seen. */
export interface MintedShareLink {
  link: ShareLinkView;
  token: string;
  /** the page that opens it: `/share/<token>` */
  path: string;
}

/** POST /api/sessions/:id/shares: what to share and for how long (days from now; absent or null: no expiry). */
export interface CreateShareBody {
  scope: ShareScope;
  /** the branch's last step (default: the session's open branch) */
  leafId?: string;
  expiresInDays?: number | null;
}

/** A personal API token as its owner lists it (never the token). Dates are ISO strings. */
export interface ApiTokenView {
  id: string;
  name: string;
  /** `ilv_` and four characters, to tell tokens apart */
  hint: string;
  role: Role;
  status: "active" | "expired" | "revoked";
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** recorded at most once a minute */
  lastUsedAt: string | null;
}

/** POST /api/tokens: a name to recognise it by, at most the caller's role (default: theirs). */
export interface CreateTokenBody {
  name: string;
  role?: Role;
  expiresInDays?: number | null;
}

/**
 * The last message of a stream that will not come back (SSE `event: ended`); the stream then
 * closes. `revoked`: its share link or token was revoked or re-minted; `deleted`: the session
 * was deleted; `removed`: its person was removed from (or left) the session's workspace.
 */
export interface StreamEnded {
  type: "ended";
  code: "revoked" | "deleted" | "removed";
  message: string;
}
