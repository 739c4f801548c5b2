import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { membershipChanged } from "@/lib/auth/credentials";
import { type Caller, ROLES, type Role } from "@/lib/auth/scopes";
import { DEFAULT_WORKSPACE_SLUG, getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import type { InvitationView, MemberView, WorkspaceMembership } from "@/lib/wire/accounts";

/**
 * Workspaces and who is in them (issue 8): a user's memberships and roles, the personal
 * workspace every account gets, the instance's workspace from before accounts (it goes
 * to the first account), invitations as links, and the last-owner rule. Every function
 * that changes a workspace takes the Caller and acts on the caller's workspace only.
 */

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

/** Any fixed number: two first sign-ins at once take turns for the instance's old workspace. */
const LEGACY_CLAIM_LOCK = 72_011_906;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

function asRole(value: string): Role {
  // A row with a role this version doesn't know gets the least power, never more.
  return isRole(value) ? value : "viewer";
}

/** hex SHA-256 of a link token: what the database keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new link token: 32 random bytes (256 bits), base64url. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

const newSlug = () =>
  `w-${randomBytes(9)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "0")}`;

/** The workspaces a user belongs to, oldest membership first. */
export async function listMemberships(userId: string): Promise<WorkspaceMembership[]> {
  const prisma = await getPrisma();
  const rows = await prisma.member.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, workspace: { select: { id: true, name: true } } },
  });
  return rows.map((row) => ({ workspaceId: row.workspace.id, name: row.workspace.name, role: asRole(row.role) }));
}

/**
 * The workspace a signed-in browser acts in: the session's chosen one while the user is
 * still a member of it, else their oldest membership. A user with none (a new account)
 * gets one first: the instance's workspace from before accounts when nobody owns it yet,
 * else a new personal workspace.
 */
export async function activeMembership(
  userId: string,
  activeWorkspaceId: string | null | undefined,
): Promise<WorkspaceMembership> {
  const prisma = await getPrisma();
  if (activeWorkspaceId) {
    const chosen = await prisma.member.findUnique({
      where: { workspaceId_userId: { workspaceId: activeWorkspaceId, userId } },
      select: { role: true, workspace: { select: { id: true, name: true } } },
    });
    if (chosen) return { workspaceId: chosen.workspace.id, name: chosen.workspace.name, role: asRole(chosen.role) };
  }
  const [first] = await listMemberships(userId);
  return first ?? provisionWorkspace(userId);
}

/**
 * A first workspace for a user who has none. The instance's "local" workspace — where
 * every session made before accounts lives — goes to the first account that asks, as
 * its owner (under a lock, so two first sign-ins can't both get it); everyone after gets
 * a personal workspace of their own.
 */
export async function provisionWorkspace(userId: string): Promise<WorkspaceMembership> {
  const prisma = await getPrisma();
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LEGACY_CLAIM_LOCK})`;
    // Someone else's request for this same user may have provisioned it while we waited.
    const existing = await tx.member.findFirst({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: { role: true, workspace: { select: { id: true, name: true } } },
    });
    if (existing)
      return { workspaceId: existing.workspace.id, name: existing.workspace.name, role: asRole(existing.role) };
    const legacy = await tx.workspace.findUnique({
      where: { slug: DEFAULT_WORKSPACE_SLUG },
      select: { id: true, name: true, _count: { select: { members: true } } },
    });
    if (legacy && legacy._count.members === 0) {
      await tx.member.create({ data: { workspaceId: legacy.id, userId, role: "owner" } });
      return { workspaceId: legacy.id, name: legacy.name, role: "owner" as const };
    }
    const created = await tx.workspace.create({
      data: { slug: newSlug(), name: "Personal workspace", members: { create: { userId, role: "owner" } } },
      select: { id: true, name: true },
    });
    return { workspaceId: created.id, name: created.name, role: "owner" as const };
  });
}

/** A new workspace with the user as its owner. */
export async function createWorkspace(userId: string, name: string): Promise<WorkspaceMembership> {
  const prisma = await getPrisma();
  const created = await prisma.workspace.create({
    data: { slug: newSlug(), name, members: { create: { userId, role: "owner" } } },
    select: { id: true, name: true },
  });
  return { workspaceId: created.id, name: created.name, role: "owner" };
}

/** Renames the caller's workspace. */
export async function renameWorkspace(caller: Caller, name: string): Promise<void> {
  const prisma = await getPrisma();
  await prisma.workspace.update({ where: { id: caller.workspaceId }, data: { name } });
}

/**
 * Makes `workspaceId` the one this signed-in browser works in; 404 unless the user is a
 * member (another user's workspace id looks like no workspace at all).
 */
export async function switchWorkspace({
  authSessionId,
  userId,
  workspaceId,
}: {
  authSessionId: string;
  userId: string;
  workspaceId: string;
}): Promise<void> {
  const prisma = await getPrisma();
  const member = await prisma.member.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { id: true },
  });
  if (!member) throw new AppError("not_found:workspace", "You are not in a workspace with this id.");
  await prisma.authSession.update({ where: { id: authSessionId }, data: { activeWorkspaceId: workspaceId } });
}

/** The caller's workspace's members, owners first. */
export async function listMembers(caller: Caller): Promise<MemberView[]> {
  const prisma = await getPrisma();
  const rows = await prisma.member.findMany({
    where: { workspaceId: caller.workspaceId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      role: true,
      createdAt: true,
      user: { select: { id: true, name: true, email: true, isAnonymous: true } },
    },
  });
  return rows
    .map((row) => ({
      id: row.id,
      userId: row.user.id,
      name: row.user.name,
      // A guest's email is a placeholder, not an address to show.
      email: row.user.isAnonymous ? null : row.user.email,
      guest: Boolean(row.user.isAnonymous),
      role: asRole(row.role),
      since: row.createdAt.toISOString(),
    }))
    .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
}

/**
 * The rules for changing a membership, pure so each is unit-tested: only an owner may
 * make or unmake owners; a workspace keeps at least one owner (its last owner can't be
 * demoted, removed or leave). `actorRole` is the caller's role, `target` the membership,
 * `next` the new role (null: removed), `owners` how many owners the workspace has.
 */
export function membershipChangeProblem({
  actorRole,
  target,
  next,
  owners,
}: {
  actorRole: Role;
  target: Role;
  next: Role | null;
  owners: number;
}): AppError | null {
  if ((target === "owner" || next === "owner") && actorRole !== "owner") {
    return new AppError("forbidden:owner", "Only an owner can make someone an owner or change an owner's role.");
  }
  if (target === "owner" && next !== "owner" && owners <= 1) {
    return new AppError(
      "conflict:last_owner",
      "A workspace needs an owner: make someone else an owner before this one leaves or changes role.",
    );
  }
  return null;
}

async function memberInWorkspace(caller: Caller, memberId: string) {
  const prisma = await getPrisma();
  const member = await prisma.member.findFirst({
    where: { id: memberId, workspaceId: caller.workspaceId },
    select: { id: true, role: true, userId: true },
  });
  if (!member) throw new AppError("not_found:member", "This workspace has no member with this id.");
  return member;
}

/**
 * Changes a member's role (`next`) or removes them (`null`), after the rules above, in
 * one transaction that counts owners under a row lock so two owners can't demote each
 * other at once and leave none.
 */
export async function changeMembership(caller: Caller, memberId: string, next: Role | null): Promise<void> {
  const member = await memberInWorkspace(caller, memberId);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const owners = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Member" WHERE "workspaceId" = ${caller.workspaceId} AND role = 'owner' FOR UPDATE`;
    const problem = membershipChangeProblem({
      actorRole: caller.role,
      target: asRole(member.role),
      next,
      owners: owners.length,
    });
    if (problem) throw problem;
    if (next === null) await tx.member.delete({ where: { id: member.id } });
    else await tx.member.update({ where: { id: member.id }, data: { role: next } });
  });
  // their open streams of this workspace end, their tokens' cached callers go
  membershipChanged(caller.workspaceId, member.userId, next);
}

/** The caller leaves their workspace (the last owner can't): acting on themselves, whatever their role. */
export async function leaveWorkspace(caller: Caller): Promise<void> {
  if (!caller.userId) throw new AppError("forbidden:caller", "Only a signed-in member can leave a workspace.");
  const prisma = await getPrisma();
  const self = await prisma.member.findUnique({
    where: { workspaceId_userId: { workspaceId: caller.workspaceId, userId: caller.userId } },
    select: { id: true, role: true },
  });
  if (!self) throw new AppError("not_found:member", "You are not a member of this workspace.");
  await changeMembership({ ...caller, role: asRole(self.role) }, self.id, null);
}

/**
 * A new invitation link to the caller's workspace with `role` (only owners invite
 * owners). Returns the token once: only its hash is stored.
 */
export async function createInvitation(
  caller: Caller,
  { role, email }: { role: Role; email?: string },
): Promise<{ invitation: InvitationView; token: string }> {
  if (role === "owner" && caller.role !== "owner") {
    throw new AppError("forbidden:owner", "Only an owner can invite someone as an owner.");
  }
  const prisma = await getPrisma();
  const token = newToken();
  const row = await prisma.invitation.create({
    data: {
      workspaceId: caller.workspaceId,
      tokenHash: hashToken(token),
      role,
      email: email ?? null,
      invitedById: caller.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000),
    },
  });
  return { invitation: toInvitationView(row), token };
}

function toInvitationView(row: {
  id: string;
  role: string;
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  mailedAt: Date | null;
  mailError: string | null;
}): InvitationView {
  const status = row.revokedAt
    ? "revoked"
    : row.acceptedAt
      ? "accepted"
      : row.expiresAt.getTime() < Date.now()
        ? "expired"
        : "open";
  return {
    id: row.id,
    role: asRole(row.role),
    email: row.email,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    status,
    mailedAt: row.mailedAt?.toISOString() ?? null,
    mailError: row.mailError,
  };
}

/** The caller's workspace's invitations, newest first. */
export async function listInvitations(caller: Caller): Promise<InvitationView[]> {
  const prisma = await getPrisma();
  const rows = await prisma.invitation.findMany({
    where: { workspaceId: caller.workspaceId },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  return rows.map(toInvitationView);
}

/**
 * A new link for an open invitation of the caller's workspace (for resending it): a new
 * token, good for INVITATION_DAYS from now; the old link stops working, and so does any
 * mail of it (`mailedAt` is cleared until the new link is mailed). Returns the token once.
 * An unknown, used, revoked or expired invitation is 404 `not_found:invitation`.
 */
export async function renewInvitation(
  caller: Caller,
  invitationId: string,
): Promise<{ invitation: InvitationView; token: string }> {
  const prisma = await getPrisma();
  const token = newToken();
  const now = new Date();
  const { count } = await prisma.invitation.updateMany({
    where: {
      id: invitationId,
      workspaceId: caller.workspaceId,
      revokedAt: null,
      acceptedAt: null,
      expiresAt: { gt: now },
    },
    data: {
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + INVITATION_DAYS * 24 * 3600 * 1000),
      mailedAt: null,
      mailError: null,
    },
  });
  if (count === 0) throw new AppError("not_found:invitation", "This workspace has no open invitation with this id.");
  const row = await prisma.invitation.findFirstOrThrow({
    where: { id: invitationId, workspaceId: caller.workspaceId },
  });
  return { invitation: toInvitationView(row), token };
}

/** The longest mail failure an invitation keeps (characters); a longer one is cut with "…". */
export const MAIL_ERROR_MAX = 300;

/**
 * Records how the last mail of an invitation of the caller's workspace went: mailed at
 * `mailedAt`, or not sent for `mailError` (a short reason with no credentials, as
 * lib/mail/send.ts's MailError words it; cut at MAIL_ERROR_MAX). Each clears the other.
 * Answers the invitation as it now is, or null when it is gone (nothing to record).
 */
export async function recordInvitationMail(
  caller: Caller,
  invitationId: string,
  outcome: { mailedAt: Date } | { mailError: string },
): Promise<InvitationView | null> {
  const prisma = await getPrisma();
  const data =
    "mailedAt" in outcome
      ? { mailedAt: outcome.mailedAt, mailError: null }
      : { mailedAt: null, mailError: clip(outcome.mailError, MAIL_ERROR_MAX) };
  const { count } = await prisma.invitation.updateMany({
    where: { id: invitationId, workspaceId: caller.workspaceId },
    data,
  });
  if (count === 0) return null;
  const row = await prisma.invitation.findFirst({ where: { id: invitationId, workspaceId: caller.workspaceId } });
  return row ? toInvitationView(row) : null;
}

/** Revokes an open invitation of the caller's workspace: its link stops working. */
export async function revokeInvitation(caller: Caller, invitationId: string): Promise<void> {
  const prisma = await getPrisma();
  const { count } = await prisma.invitation.updateMany({
    where: { id: invitationId, workspaceId: caller.workspaceId, revokedAt: null, acceptedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("not_found:invitation", "This workspace has no open invitation with this id.");
}

/** What an invitation link leads to, for the page that offers to accept it (`email`: whom it is addressed to, if anyone). */
export async function describeInvitation(
  token: string,
): Promise<{ workspaceName: string; role: Role; email: string | null } | null> {
  const prisma = await getPrisma();
  const row = await prisma.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      role: true,
      email: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      workspace: { select: { name: true } },
    },
  });
  if (!row || row.acceptedAt || row.revokedAt || row.expiresAt.getTime() < Date.now()) return null;
  return { workspaceName: row.workspace.name, role: asRole(row.role), email: row.email };
}

/**
 * Whether `account` may accept an invitation addressed to `invitedEmail` (null: to whoever
 * has the link). Only where the instance sends mail (`mailOn`), so an address can be
 * proven: then the account must have that email (case aside), confirmed through the
 * mailed link — else 403 `forbidden:invitation_email` saying what to do. Without mail the
 * address is a note for the inviter's list, as before. Pure.
 */
export function invitationEmailProblem({
  invitedEmail,
  account,
  mailOn,
}: {
  invitedEmail: string | null;
  account: { email: string; guest: boolean; emailVerified: boolean };
  mailOn: boolean;
}): AppError | null {
  if (!mailOn || !invitedEmail) return null;
  if (account.guest || account.email.toLowerCase() !== invitedEmail.toLowerCase()) {
    return new AppError(
      "forbidden:invitation_email",
      `This invitation is for ${invitedEmail}: sign in with that address, or create an account with it, then open the link again.`,
    );
  }
  if (!account.emailVerified) {
    return new AppError(
      "forbidden:invitation_email",
      `Confirm ${invitedEmail} first: open the link in the mail we sent you (or send it again from the banner), then accept.`,
    );
  }
  return null;
}

/**
 * Accepts an invitation link for a signed-in user: they join its workspace with its role
 * (a member already keeps the higher of the two roles) and it becomes the workspace they
 * work in. An unknown, used, revoked or expired link is a 404 that doesn't say which; an
 * invitation addressed to another or an unconfirmed email, where mail is on, a 403
 * (invitationEmailProblem) that leaves it open.
 */
export async function acceptInvitation({
  token,
  userId,
  authSessionId,
  account,
  mailOn,
}: {
  token: string;
  userId: string;
  authSessionId: string;
  account: { email: string; guest: boolean; emailVerified: boolean };
  mailOn: boolean;
}): Promise<WorkspaceMembership> {
  const prisma = await getPrisma();
  return prisma.$transaction(async (tx) => {
    const row = await tx.invitation.findUnique({
      where: { tokenHash: hashToken(token) },
      select: {
        id: true,
        role: true,
        email: true,
        workspaceId: true,
        expiresAt: true,
        acceptedAt: true,
        revokedAt: true,
      },
    });
    if (!row || row.acceptedAt || row.revokedAt || row.expiresAt.getTime() < Date.now()) {
      throw new AppError("not_found:invitation", "This invitation link doesn't work any more. Ask for a new one.");
    }
    const problem = invitationEmailProblem({ invitedEmail: row.email, account, mailOn });
    if (problem) throw problem;
    const claimed = await tx.invitation.updateMany({
      where: { id: row.id, acceptedAt: null },
      data: { acceptedAt: new Date(), acceptedById: userId },
    });
    if (claimed.count === 0) {
      throw new AppError("not_found:invitation", "This invitation link doesn't work any more. Ask for a new one.");
    }
    const role = asRole(row.role);
    const existing = await tx.member.findUnique({
      where: { workspaceId_userId: { workspaceId: row.workspaceId, userId } },
      select: { id: true, role: true },
    });
    const kept = existing && ROLES.indexOf(asRole(existing.role)) <= ROLES.indexOf(role) ? asRole(existing.role) : role;
    if (existing) await tx.member.update({ where: { id: existing.id }, data: { role: kept } });
    else await tx.member.create({ data: { workspaceId: row.workspaceId, userId, role } });
    await tx.authSession.update({ where: { id: authSessionId }, data: { activeWorkspaceId: row.workspaceId } });
    const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: row.workspaceId }, select: { name: true } });
    return { workspaceId: row.workspaceId, name: workspace.name, role: kept };
  });
}

/**
 * better-auth's anonymous plugin calls this when a guest signs up or signs in (before it
 * deletes the guest user): the guest's memberships, and the sessions, steps and runs it
 * made, and the suite runs it started (which count against its limit), move to the account,
 * so claiming keeps every session. A membership the account
 * already has keeps the higher role.
 */
export async function moveGuestWork({
  anonymousUser,
  newUser,
}: {
  anonymousUser: { user: { id: string } };
  newUser: { user: { id: string } };
}): Promise<void> {
  const from = anonymousUser.user.id;
  const to = newUser.user.id;
  if (from === to) return;
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const memberships = await tx.member.findMany({ where: { userId: from } });
    for (const membership of memberships) {
      const existing = await tx.member.findUnique({
        where: { workspaceId_userId: { workspaceId: membership.workspaceId, userId: to } },
      });
      if (!existing) {
        await tx.member.update({ where: { id: membership.id }, data: { userId: to } });
        continue;
      }
      const higher = ROLES.indexOf(asRole(membership.role)) < ROLES.indexOf(asRole(existing.role));
      if (higher) await tx.member.update({ where: { id: existing.id }, data: { role: membership.role } });
      await tx.member.delete({ where: { id: membership.id } });
    }
    await tx.session.updateMany({ where: { createdById: from }, data: { createdById: to } });
    await tx.step.updateMany({ where: { userId: from }, data: { userId: to } });
    await tx.run.updateMany({ where: { userId: from }, data: { userId: to } });
    await tx.suiteRun.updateMany({ where: { createdById: from }, data: { createdById: to } });
    await tx.invitation.updateMany({ where: { invitedById: from }, data: { invitedById: to } });
  });
}

/** `text` cut to at most `max` characters, ending with "…" when cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
