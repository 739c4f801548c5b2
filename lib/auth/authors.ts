import type { Caller } from "./scopes";

/**
 * Who made a step or started a run, as stored (issue 8 "who did what"): the user, and the
 * API token when a bot acted through one. Both null: no person (the local single-user
 * instance, a suite run's own start, rows from before accounts).
 */
export interface Author {
  userId: string | null;
  apiTokenId: string | null;
}

/** Nobody in particular: what the model's own work and system starts record. */
export const NO_AUTHOR: Author = { userId: null, apiTokenId: null };

/** The author a request's caller records: its user, and its API token when it came with one. */
export function authorOf(caller: Pick<Caller, "userId" | "via" | "credentialId">): Author {
  return {
    userId: caller.userId,
    apiTokenId: caller.via === "token" ? (caller.credentialId ?? null) : null,
  };
}

/** What an author's name is read from: the user's row and the token's, as far as they still exist. */
export interface AuthorRows {
  user?: { name: string; isAnonymous: boolean | null } | null;
  apiToken?: { name: string } | null;
}

/** The label when a person's account has no name to show. */
export const GUEST_LABEL = "Guest";

/**
 * The name the timeline and branch list show for an author: a bot by its token's name
 * (`"nightly-ci (bot)"`), a guest by its name or "Guest", a person by their name. Null
 * when there is nobody to name (no user and no token, or a deleted one).
 */
export function authorLabel({ user, apiToken }: AuthorRows): string | null {
  if (apiToken) return `${apiToken.name.trim() || "API token"} (bot)`;
  if (!user) return null;
  const name = user.name.trim();
  if (name) return name;
  return user.isAnonymous ? GUEST_LABEL : null;
}
