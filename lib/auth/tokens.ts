import { createHash, randomBytes } from "node:crypto";
import { ROLES, type Role } from "./scopes";

/**
 * The secrets behind share links and personal API tokens (issue 8): 32 random bytes
 * (256 bits) in base64url behind a prefix that says what they are, so a leaked one is
 * recognisable (secret scanners) and a request's token is routed to the right table
 * without a database look-up. Only `hashToken(token)` is stored. Pure, unit-tested.
 */

/** A personal API token: `ilv_` + 43 base64url characters. */
export const API_TOKEN_PREFIX = "ilv_";
/** A share link's token (the last segment of /share/<token>): `ils_` + 43 base64url characters. */
export const SHARE_TOKEN_PREFIX = "ils_";

export type TokenKind = "api" | "share";

const PREFIXES: Readonly<Record<TokenKind, string>> = { api: API_TOKEN_PREFIX, share: SHARE_TOKEN_PREFIX };
/** 32 bytes in base64url without padding. */
const BODY = /^[A-Za-z0-9_-]{43}$/;

/** A new token and the hash to store: the token is shown once and never kept. */
export interface MintedToken {
  token: string;
  /** hex SHA-256 of `token` */
  hash: string;
}

/** hex SHA-256 of a token: what the database keeps instead of it. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A fresh token of a kind (256 random bits) with its hash. */
export function mintToken(kind: TokenKind): MintedToken {
  const token = `${PREFIXES[kind]}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashToken(token) };
}

/** What a string is, by its form alone: an API token, a share token, or neither (null). */
export function tokenKind(value: string): TokenKind | null {
  for (const kind of ["api", "share"] as const) {
    const prefix = PREFIXES[kind];
    if (value.startsWith(prefix) && BODY.test(value.slice(prefix.length))) return kind;
  }
  return null;
}

/** The first characters of a token, enough to tell tokens apart in a list and nothing to guess with. */
export function tokenHint(token: string): string {
  return token.slice(0, API_TOKEN_PREFIX.length + 4);
}

/**
 * The token of an `Authorization: Bearer <token>` header, or null when there is no such
 * header (another scheme, or none). The scheme is case-insensitive (RFC 9110).
 */
export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  const match = value?.match(/^bearer[ \t]+(\S+)[ \t]*$/i);
  return match?.[1] ?? null;
}

/** How often, at most, a share link's or API token's last-used time is written (ms). */
export const LAST_USED_INTERVAL_MS = 60_000;

/** Whether a use at `now` should be written as the token's last use (the last write is a minute old or none). */
export function shouldRecordUse(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS;
}

/** The less powerful of two roles (ROLES lists the most powerful first): a token never does more than its user may. */
export function lesserRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b;
}

/** Whether a link or token with this expiry (null: never) has expired at `now`. */
export function isExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}
