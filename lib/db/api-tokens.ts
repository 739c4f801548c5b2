import "server-only";
import { type Caller, ROLES, type Role } from "@/lib/auth/scopes";
import { isExpired, lesserRole, mintToken, tokenHint } from "@/lib/auth/tokens";
import { AppError } from "@/lib/http/errors";
import type { ApiTokenView } from "@/lib/wire/shares";
import { getPrisma } from "./client";

/**
 * Personal API tokens (issue 8): a user's token acts for them in one workspace, with at
 * most their role there (the role it was made with, capped by their current membership on
 * every use). Only the hash is stored; the token is returned once, by `createApiToken`.
 * Each user sees and revokes their own tokens; another's token id, or another
 * workspace's, is 404.
 */

const TOKEN_SELECT = {
  id: true,
  name: true,
  hint: true,
  role: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

type TokenRow = {
  id: string;
  name: string;
  hint: string;
  role: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

/** A stored role this version doesn't know gets the least power. */
export const asRole = (value: string): Role =>
  (ROLES as readonly string[]).includes(value) ? (value as Role) : "viewer";

function toView(row: TokenRow, now = new Date()): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    hint: row.hint,
    role: asRole(row.role),
    status: row.revokedAt ? "revoked" : isExpired(row.expiresAt, now) ? "expired" : "active",
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** The signed-in user behind a caller who may hold tokens: not a share link, not another token, not the local instance. */
function tokenOwner(caller: Caller): string {
  if (caller.via === "token") {
    throw new AppError("forbidden:token", "An API token can't make or manage API tokens: sign in to do that.");
  }
  if (caller.userId === null || caller.via !== "cookie") {
    throw new AppError("forbidden:token", "Sign in to make API tokens: a token acts for a person.");
  }
  return caller.userId;
}

/**
 * A new token for the signed-in caller in their workspace. `role` defaults to the caller's
 * own and may not exceed it (403). `expiresAt` must be in the future (400).
 */
export async function createApiToken({
  caller,
  name,
  role,
  expiresAt,
}: {
  caller: Caller;
  name: string;
  role?: Role;
  expiresAt: Date | null;
}): Promise<{ token: string; apiToken: ApiTokenView }> {
  const userId = tokenOwner(caller);
  const granted = role ?? caller.role;
  if (lesserRole(granted, caller.role) !== granted) {
    throw new AppError("forbidden:role", `A token can do at most what you can: your role here is ${caller.role}.`);
  }
  if (expiresAt && isExpired(expiresAt, new Date())) {
    throw new AppError("bad_request:expires", "The token would have expired already: pick a time in the future.");
  }
  const { token, hash } = mintToken("api");
  const prisma = await getPrisma();
  const row = await prisma.apiToken.create({
    data: {
      workspaceId: caller.workspaceId,
      userId,
      name,
      role: granted,
      tokenHash: hash,
      hint: tokenHint(token),
      expiresAt,
    },
    select: TOKEN_SELECT,
  });
  return { token, apiToken: toView(row) };
}

/** The caller's own tokens in their workspace, newest first. */
export async function listApiTokens({ caller }: { caller: Caller }): Promise<ApiTokenView[]> {
  const userId = tokenOwner(caller);
  const prisma = await getPrisma();
  const rows = await prisma.apiToken.findMany({
    where: { workspaceId: caller.workspaceId, userId },
    orderBy: { createdAt: "desc" },
    select: TOKEN_SELECT,
  });
  const now = new Date();
  return rows.map((row) => toView(row, now));
}

/** Revoke one of the caller's tokens (again is a no-op); 404 for anyone else's. */
export async function revokeApiToken({ caller, id }: { caller: Caller; id: string }): Promise<ApiTokenView> {
  const userId = tokenOwner(caller);
  const prisma = await getPrisma();
  const found = await prisma.apiToken.findFirst({
    where: { id, workspaceId: caller.workspaceId, userId },
    select: TOKEN_SELECT,
  });
  if (!found) throw new AppError("not_found:token", "This API token doesn't exist, or isn't yours.");
  if (found.revokedAt) return toView(found);
  return toView(await prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select: TOKEN_SELECT }));
}

/** What a live API token grants: its user, workspace and effective role (capped by the membership). */
export interface TokenGrant {
  id: string;
  workspaceId: string;
  userId: string;
  role: Role;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/**
 * The grant of a live (not revoked, not expired) token with this hash whose user is still
 * a member of its workspace, or null. One query (the token with its membership).
 */
export async function findTokenGrant(tokenHash: string, now = new Date()): Promise<TokenGrant | null> {
  const prisma = await getPrisma();
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      workspaceId: true,
      userId: true,
      role: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: { memberships: { select: { workspaceId: true, role: true } } } },
    },
  });
  if (!row || row.revokedAt || isExpired(row.expiresAt, now)) return null;
  const membership = row.user.memberships.find((member) => member.workspaceId === row.workspaceId);
  if (!membership) return null;
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    userId: row.userId,
    role: lesserRole(asRole(row.role), asRole(membership.role)),
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
  };
}
