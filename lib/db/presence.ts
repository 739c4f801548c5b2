import "server-only";
import type { Viewer, ViewerKind } from "@/lib/wire/presence";
import { getDatabase, getPrisma } from "./client";

/**
 * Presence rows (issue 12 item 5): one per open event stream of a session (a browser tab).
 * The instance holding the stream writes the row when it opens, renews it while it stays
 * open and removes it when it closes; a row past `expiresAt` belongs to a stream whose
 * instance died, and readers leave it out. Every function that a request reaches takes
 * the caller's workspace and acts only on sessions in it.
 */

/** Who is opening a stream: the signed-in person (an API token's owner too), or the share link a visitor came through. */
export interface ViewerIdentity {
  userId: string | null;
  shareLinkId: string | null;
}

type ViewerRow = {
  viewerId: string;
  userId: string | null;
  shareLinkId: string | null;
  name: string;
  stepId: string | null;
  createdAt: Date;
};

/** A row as the other viewers see it. */
export function toViewer(row: ViewerRow): Viewer {
  const kind: ViewerKind = row.shareLinkId ? "link" : "person";
  return {
    viewerId: row.viewerId,
    name: row.name,
    kind,
    userId: kind === "person" ? row.userId : null,
    stepId: row.stepId,
    since: row.createdAt.toISOString(),
  };
}

/** The name a viewer shows as: the person's name, or what they came through. */
async function nameOf(identity: ViewerIdentity): Promise<string> {
  if (identity.shareLinkId) return "Someone with a link";
  if (!identity.userId) return "Someone";
  const prisma = await getPrisma();
  const user = await prisma.user.findUnique({ where: { id: identity.userId }, select: { name: true } });
  return user?.name.trim() || "Someone";
}

/**
 * Records that the stream `streamId` of tab `viewerId` views the session, until
 * `expiresAt`; a tab that reconnects takes its row over (its new stream's id) — only the
 * same person's or share link's: every member's presence events carry each tab's id, so
 * anyone else naming it would otherwise take the tab's place. Answers false when the
 * session is not in the workspace, or the tab id is someone else's.
 */
export async function openViewer({
  sessionId,
  workspaceId,
  viewerId,
  streamId,
  identity,
  expiresAt,
}: {
  sessionId: string;
  workspaceId: string;
  viewerId: string;
  streamId: string;
  identity: ViewerIdentity;
  expiresAt: Date;
}): Promise<boolean> {
  const prisma = await getPrisma();
  const session = await prisma.session.findFirst({ where: { id: sessionId, workspaceId }, select: { id: true } });
  if (!session) return false;
  const name = await nameOf(identity);
  const owner = { userId: identity.userId, shareLinkId: identity.shareLinkId, name };
  const reconnected = await prisma.viewer.updateMany({
    where: { sessionId, viewerId, userId: identity.userId, shareLinkId: identity.shareLinkId },
    data: { streamId, expiresAt, name },
  });
  if (reconnected.count > 0) return true;
  const created = await prisma.viewer.createMany({
    data: [{ sessionId, viewerId, streamId, expiresAt, stepId: null, ...owner }],
    skipDuplicates: true,
  });
  return created.count > 0;
}

/**
 * Removes the row of a stream that closed, if it is still that stream's (a reconnect may
 * have taken it over). Answers whether a row went.
 */
export async function closeViewer({
  sessionId,
  workspaceId,
  viewerId,
  streamId,
}: {
  sessionId: string;
  workspaceId: string;
  viewerId: string;
  streamId: string;
}): Promise<boolean> {
  const prisma = await getPrisma();
  const { count } = await prisma.viewer.deleteMany({
    where: { sessionId, viewerId, streamId, session: { workspaceId } },
  });
  return count > 0;
}

/** What selecting a step came to: done, no such open tab of the caller's, or no such step in the session. */
export type StepSelection = "selected" | "no_viewer" | "no_step";

/**
 * Sets the step tab `viewerId` has selected (null: none). Only the tab's own caller may:
 * the same person, or the same share link; and only a step of this session, written or
 * still in this process's write-behind queue. One statement when it succeeds (presence is
 * posted on every selection): the step check is part of the update. `stepSeenLive`: the
 * caller found the step on this session's event bus (streaming on another instance, its
 * row not written yet), so no row is required. Answers "no_viewer" when there is no such
 * open tab of theirs on a session of the workspace, "no_step" when the tab is there but
 * the step is not the session's.
 */
export async function selectViewerStep({
  sessionId,
  workspaceId,
  viewerId,
  identity,
  stepId,
  stepSeenLive = false,
}: {
  sessionId: string;
  workspaceId: string;
  viewerId: string;
  identity: ViewerIdentity;
  stepId: string | null;
  stepSeenLive?: boolean;
}): Promise<StepSelection> {
  const { prisma, stepRows } = await getDatabase();
  // Before the update: a step that leaves the queue meanwhile has its row by then.
  const mustExist = stepId !== null && !stepSeenLive && !stepRows.holds(sessionId, stepId) ? stepId : null;
  const tab = {
    sessionId,
    viewerId,
    userId: identity.userId,
    shareLinkId: identity.shareLinkId,
    expiresAt: { gt: new Date() },
  };
  const { count } = await prisma.viewer.updateMany({
    where: {
      ...tab,
      session: mustExist === null ? { workspaceId } : { workspaceId, steps: { some: { id: mustExist } } },
    },
    data: { stepId },
  });
  if (count > 0) return "selected";
  if (mustExist === null) return "no_viewer";
  const open = await prisma.viewer.count({ where: { ...tab, session: { workspaceId } } });
  return open > 0 ? "no_step" : "no_viewer";
}

/** The tabs viewing a session of the workspace now, those open longest first. */
export async function listViewers({
  sessionId,
  workspaceId,
}: {
  sessionId: string;
  workspaceId: string;
}): Promise<Viewer[]> {
  const prisma = await getPrisma();
  const rows = await prisma.viewer.findMany({
    where: { sessionId, session: { workspaceId }, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: "asc" }, { viewerId: "asc" }],
  });
  return rows.map(toViewer);
}

/**
 * The holding instance's heartbeat: keeps the rows of its open streams until `expiresAt`
 * (one statement for all of them). Internal: the streams were opened through openViewer's
 * scoped check.
 */
export async function renewViewers(streamIds: string[], expiresAt: Date): Promise<void> {
  if (streamIds.length === 0) return;
  const prisma = await getPrisma();
  await prisma.viewer.updateMany({ where: { streamId: { in: streamIds } }, data: { expiresAt } });
}

/**
 * Removes rows whose stream's instance stopped renewing them (it died) and answers their
 * sessions with their workspaces, so their viewers can be told. Internal: any instance's
 * heartbeat, for everyone's rows.
 */
export async function removeExpiredViewers(now = new Date()): Promise<{ sessionId: string; workspaceId: string }[]> {
  const prisma = await getPrisma();
  const expired = await prisma.viewer.findMany({
    where: { expiresAt: { lte: now } },
    select: { sessionId: true, viewerId: true, streamId: true, session: { select: { workspaceId: true } } },
    take: 500,
  });
  if (expired.length === 0) return [];
  await prisma.viewer.deleteMany({
    where: {
      OR: expired.map(({ sessionId, viewerId, streamId }) => ({ sessionId, viewerId, streamId })),
      expiresAt: { lte: now },
    },
  });
  const sessions = new Map(expired.map((row) => [row.sessionId, row.session.workspaceId]));
  return [...sessions].map(([sessionId, workspaceId]) => ({ sessionId, workspaceId }));
}
