import "server-only";
import type { Caller } from "@/lib/auth/scopes";
import { isExpired, mintToken } from "@/lib/auth/tokens";
import { AppError, isAppError } from "@/lib/http/errors";
import type { MintedShareLink, ShareLinkView } from "@/lib/wire/shares";
import { getPrisma } from "./client";
import { getStepInSession } from "./steps";

/**
 * Share links (issue 8): read-only links to one session, its whole tree or one branch,
 * optionally expiring. Only the token's hash is stored; the token is returned once, by
 * `createShareLink` and `remintShareLink`. Every function acts in the caller's workspace:
 * another workspace's link id is 404, never 403.
 */

const LINK_SELECT = {
  id: true,
  sessionId: true,
  leafId: true,
  createdAt: true,
  mintedAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  session: { select: { title: true } },
  createdBy: { select: { name: true } },
} as const;

type LinkRow = {
  id: string;
  sessionId: string;
  leafId: string | null;
  createdAt: Date;
  mintedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  session: { title: string };
  createdBy: { name: string } | null;
};

function toView(row: LinkRow, now = new Date()): ShareLinkView {
  return {
    id: row.id,
    sessionId: row.sessionId,
    sessionTitle: row.session.title,
    scope: row.leafId === null ? "tree" : "branch",
    leafId: row.leafId,
    status: row.revokedAt ? "revoked" : isExpired(row.expiresAt, now) ? "expired" : "active",
    createdBy: row.createdBy?.name ?? null,
    createdAt: row.createdAt.toISOString(),
    mintedAt: row.mintedAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** The page a share token opens. */
export const sharePath = (token: string) => `/share/${token}`;

const linkNotFound = () => new AppError("not_found:share", "This share link doesn't exist in this workspace.");

/**
 * A new link to a session of the caller's workspace (the route has loaded it): `leafId`
 * shares the branch ending at that step, which must be one of the session's (400
 * otherwise); null shares the whole tree. `expiresAt` must be in the future (400).
 */
export async function createShareLink({
  caller,
  sessionId,
  leafId,
  expiresAt,
}: {
  caller: Caller;
  sessionId: string;
  leafId: string | null;
  expiresAt: Date | null;
}): Promise<MintedShareLink> {
  if (expiresAt && isExpired(expiresAt, new Date())) {
    throw new AppError("bad_request:expires", "The link would have expired already: pick a time in the future.");
  }
  const prisma = await getPrisma();
  // a step a run made in the last moments may be held by the write-behind queue: it counts
  if (leafId !== null) {
    await getStepInSession({ sessionId, workspaceId: caller.workspaceId, stepId: leafId }).catch((error: unknown) => {
      throw isAppError(error) && error.code === "not_found:step"
        ? new AppError("bad_request:leaf", "That step is not part of this session.")
        : error;
    });
  }
  const { token, hash } = mintToken("share");
  const row = await prisma.shareLink.create({
    data: {
      workspaceId: caller.workspaceId,
      sessionId,
      leafId,
      tokenHash: hash,
      expiresAt,
      createdById: caller.userId,
    },
    select: LINK_SELECT,
  });
  return { link: toView(row), token, path: sharePath(token) };
}

/** The workspace's links, newest first; only one session's when `sessionId` is given. */
export async function listShareLinks({
  caller,
  sessionId,
}: {
  caller: Caller;
  sessionId?: string;
}): Promise<ShareLinkView[]> {
  const prisma = await getPrisma();
  const rows = await prisma.shareLink.findMany({
    where: { workspaceId: caller.workspaceId, ...(sessionId ? { sessionId } : {}) },
    orderBy: { createdAt: "desc" },
    take: 500,
    select: LINK_SELECT,
  });
  const now = new Date();
  return rows.map((row) => toView(row, now));
}

/** Revoke a link of the caller's workspace (again is a no-op); 404 for any other id. */
export async function revokeShareLink({ caller, id }: { caller: Caller; id: string }): Promise<ShareLinkView> {
  const prisma = await getPrisma();
  const found = await prisma.shareLink.findFirst({
    where: { id, workspaceId: caller.workspaceId },
    select: LINK_SELECT,
  });
  if (!found) throw linkNotFound();
  if (found.revokedAt) return toView(found);
  const row = await prisma.shareLink.update({ where: { id }, data: { revokedAt: new Date() }, select: LINK_SELECT });
  return toView(row);
}

/**
 * A new token for a link of the caller's workspace: the old URL stops working, the link
 * (what it shares, its expiry) stays. A revoked link can't be re-minted (409): make a new one.
 */
export async function remintShareLink({ caller, id }: { caller: Caller; id: string }): Promise<MintedShareLink> {
  const prisma = await getPrisma();
  const found = await prisma.shareLink.findFirst({
    where: { id, workspaceId: caller.workspaceId },
    select: { revokedAt: true },
  });
  if (!found) throw linkNotFound();
  if (found.revokedAt) throw new AppError("conflict:share", "This link was revoked. Make a new one instead.");
  const { token, hash } = mintToken("share");
  const row = await prisma.shareLink.update({
    where: { id },
    data: { tokenHash: hash, mintedAt: new Date() },
    select: LINK_SELECT,
  });
  return { link: toView(row), token, path: sharePath(token) };
}

/** What a share token opens, when it is a live link: the row the caller is made from. */
export interface ShareGrant {
  id: string;
  workspaceId: string;
  sessionId: string;
  leafId: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** The live (not revoked, not expired) link with this token hash, or null. One query. */
export async function findShareGrant(tokenHash: string, now = new Date()): Promise<ShareGrant | null> {
  const prisma = await getPrisma();
  const row = await prisma.shareLink.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      workspaceId: true,
      sessionId: true,
      leafId: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
    },
  });
  if (!row || row.revokedAt || isExpired(row.expiresAt, now)) return null;
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    sessionId: row.sessionId,
    leafId: row.leafId,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
  };
}
