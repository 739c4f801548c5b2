import "server-only";
import { type Author, authorLabel } from "@/lib/auth/authors";
import { checkAnchor, fileWrittenBy } from "@/lib/comments/anchor";
import { findMentions } from "@/lib/comments/mentions";
import type { Prisma } from "@/lib/generated/prisma/client.ts";
import { AppError } from "@/lib/http/errors";
import { fileChangesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { CommentAnchor, CommentPerson, CommentView, CreateCommentBody } from "@/lib/wire/comments";
import { getDatabase, getPrisma } from "./client";
import { loadStartingFiles } from "./starting-files";
import { getStepInSession, listSessionSteps } from "./steps";
import { decodeDbJson, encodeDbJson } from "./text-codec";

/**
 * Review comments on a session's steps (issue 12 item 1). Every function takes the
 * workspace and filters by it (and by the session): a comment id from another workspace
 * or session is 404 `not_found:comment`, never 403.
 */

const commentNotFound = () => new AppError("not_found:comment", "That comment is not part of this session.");

const COMMENT_INCLUDE = {
  author: { select: { name: true, isAnonymous: true } },
  apiToken: { select: { name: true } },
  mentions: { select: { user: { select: { id: true, name: true, isAnonymous: true } } } },
} as const;

type CommentRow = Prisma.CommentGetPayload<{ include: typeof COMMENT_INCLUDE }>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toCommentView(row: CommentRow, names: ReadonlyMap<string, string>): CommentView {
  return {
    id: row.id,
    sessionId: row.sessionId,
    stepId: row.stepId,
    parentId: row.parentId,
    authorId: row.authorId,
    authorName: authorLabel({ user: row.author, apiToken: row.apiToken }) ?? row.importedByName ?? "Someone",
    body: row.body,
    anchor: decodeDbJson((row.anchor ?? null) as CommentAnchor | null),
    mentions: row.mentions.map(({ user }) => ({ userId: user.id, name: authorLabel({ user }) ?? "Someone" })),
    resolvedAt: iso(row.resolvedAt),
    resolvedByName: row.resolvedById ? (names.get(row.resolvedById) ?? "Someone") : null,
    editedAt: iso(row.editedAt),
    deletedAt: iso(row.deletedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The names of who resolved these rows' threads (resolvedById has no relation: it is a plain record). */
async function resolverNames(rows: readonly CommentRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((row) => (row.resolvedById ? [row.resolvedById] : [])))];
  if (ids.length === 0) return new Map();
  const prisma = await getPrisma();
  const users = await prisma.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, isAnonymous: true },
  });
  return new Map(users.map((user) => [user.id, authorLabel({ user }) ?? "Someone"]));
}

async function toViews(rows: readonly CommentRow[]): Promise<CommentView[]> {
  const names = await resolverNames(rows);
  return rows.map((row) => toCommentView(row, names));
}

/** A session of the workspace's comments, oldest first (none for a session elsewhere). */
export async function listComments({
  sessionId,
  workspaceId,
}: {
  sessionId: string;
  workspaceId: string;
}): Promise<CommentView[]> {
  const prisma = await getPrisma();
  const rows = await prisma.comment.findMany({
    where: { sessionId, workspaceId },
    include: COMMENT_INCLUDE,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return toViews(rows);
}

/** The workspace's members as a comment may @mention them: id and name, never an email. */
export async function listMentionable({ workspaceId }: { workspaceId: string }): Promise<CommentPerson[]> {
  const prisma = await getPrisma();
  const members = await prisma.member.findMany({
    where: { workspaceId },
    select: { user: { select: { id: true, name: true, isAnonymous: true } } },
    orderBy: { createdAt: "asc" },
  });
  return members.map(({ user }) => ({ userId: user.id, name: authorLabel({ user }) ?? "Someone" }));
}

/** One comment of a session of the workspace; 404 `not_found:comment` when it is not that session's. */
export async function getComment({
  sessionId,
  workspaceId,
  commentId,
}: {
  sessionId: string;
  workspaceId: string;
  commentId: string;
}): Promise<CommentView> {
  return oneComment({ id: commentId, sessionId, workspaceId });
}

async function oneComment(where: Prisma.CommentWhereInput): Promise<CommentView> {
  const prisma = await getPrisma();
  const row = await prisma.comment.findFirst({ where, include: COMMENT_INCLUDE });
  if (!row) throw commentNotFound();
  return (await toViews([row]))[0] as CommentView;
}

/**
 * The file `step` wrote as it left it (what its diff view shows: the path's earlier writes
 * over the starting files, then its own), or null when the step wrote no file or its call
 * can't apply there.
 */
async function fileLeftBy({
  sessionId,
  workspaceId,
  step,
}: {
  sessionId: string;
  workspaceId: string;
  step: StepNode;
}): Promise<string | null> {
  const written = fileWrittenBy(step);
  if (written === null) return null;
  const [steps, start] = await Promise.all([
    listSessionSteps({ sessionId, workspaceId, authors: false }),
    loadStartingFiles({ sessionId, workspaceId, paths: [written] }),
  ]);
  const index = indexSteps(steps);
  if (!index.byId.has(step.id)) return null;
  return fileChangesAt(pathTo(index, step.id), step.id, start)?.after ?? null;
}

/**
 * `author`'s new comment on a step of a session of the workspace, or a reply (`parentId`,
 * any comment of the thread: a reply joins the thread of its first comment, on its step).
 * The anchor is checked against the step (400 `bad_request:anchor`; a file anchor's lines
 * against the file as the step left it); @mentions of the
 * workspace's members are found in the text and stored. 404 `not_found:step` /
 * `not_found:comment` for a step or parent that is not the session's.
 */
export async function createComment({
  sessionId,
  workspaceId,
  author,
  input,
}: {
  sessionId: string;
  workspaceId: string;
  author: Author;
  input: CreateCommentBody;
}): Promise<CommentView> {
  const prisma = await getPrisma();
  let stepId = input.stepId;
  let parentId: string | null = null;
  if (input.parentId) {
    const parent = await prisma.comment.findFirst({
      where: { id: input.parentId, sessionId, workspaceId },
      select: { id: true, parentId: true, stepId: true },
    });
    if (!parent) throw commentNotFound();
    if (input.anchor)
      throw new AppError("bad_request:anchor", "A reply belongs to its thread: it has no anchor of its own.");
    parentId = parent.parentId ?? parent.id;
    stepId = parent.stepId;
  }
  const step = await getStepInSession({ sessionId, workspaceId, stepId });
  // A step a run just made may have no row yet (steps are written within 250 ms): the
  // comment's row points at it, so write it first.
  const { stepRows } = await getDatabase();
  if (stepRows.pendingOf(sessionId).some((pending) => pending.id === step.id)) await stepRows.flush();
  let anchor: CommentAnchor | null = null;
  if (input.anchor) {
    const file = input.anchor.kind === "file" ? await fileLeftBy({ sessionId, workspaceId, step }) : null;
    const checked = checkAnchor(step, input.anchor, file);
    if (!checked.ok) throw new AppError("bad_request:anchor", checked.error);
    anchor = checked.anchor;
  }
  const mentioned = findMentions(input.body, await listMentionable({ workspaceId }));
  const created = await prisma.comment.create({
    data: {
      workspaceId,
      sessionId,
      stepId: step.id,
      parentId,
      authorId: author.userId,
      apiTokenId: author.apiTokenId,
      body: input.body,
      // a text anchor's quote is the step's text, which may hold what jsonb can't (the model's NUL)
      anchor: anchor ? encodeDbJson(anchor) : undefined,
      mentions: { create: mentioned.map((userId) => ({ userId })) },
    },
    select: { id: true },
  });
  return oneComment({ id: created.id, workspaceId });
}

/**
 * Changes a comment of a session of the workspace: its text (only its author may: 403
 * `forbidden:author`; its mentions are found again) and/or whether its thread is resolved
 * (anyone who may comment; a reply resolves its thread). Answers the comments that
 * changed — the comment, and the thread's first comment when that is another one.
 */
export async function updateComment({
  sessionId,
  workspaceId,
  commentId,
  author,
  body,
  resolved,
}: {
  sessionId: string;
  workspaceId: string;
  commentId: string;
  author: Author;
  body?: string;
  resolved?: boolean;
}): Promise<CommentView[]> {
  const prisma = await getPrisma();
  const row = await prisma.comment.findFirst({
    where: { id: commentId, sessionId, workspaceId },
    select: { id: true, parentId: true, authorId: true, body: true, deletedAt: true },
  });
  if (!row) throw commentNotFound();
  if (row.deletedAt !== null && body !== undefined) {
    throw new AppError("conflict:comment", "This comment was deleted; its text can't be changed.");
  }
  const changed = new Set<string>();
  if (body !== undefined && body !== row.body) {
    if (row.authorId === null || row.authorId !== author.userId) {
      throw new AppError("forbidden:author", "Only the person who wrote a comment can change its text.");
    }
    const mentioned = findMentions(body, await listMentionable({ workspaceId }));
    await prisma.$transaction([
      prisma.comment.update({ where: { id: row.id }, data: { body, editedAt: new Date() } }),
      prisma.commentMention.deleteMany({ where: { commentId: row.id } }),
      prisma.commentMention.createMany({ data: mentioned.map((userId) => ({ commentId: row.id, userId })) }),
    ]);
    changed.add(row.id);
  }
  if (resolved !== undefined) {
    const threadId = row.parentId ?? row.id;
    const done = await prisma.comment.updateMany({
      where: { id: threadId, workspaceId, resolvedAt: resolved ? null : { not: null } },
      data: resolved
        ? { resolvedAt: new Date(), resolvedById: author.userId }
        : { resolvedAt: null, resolvedById: null },
    });
    if (done.count > 0) changed.add(threadId);
  }
  if (changed.size === 0) return [await oneComment({ id: row.id, workspaceId })];
  const prismaRows = await prisma.comment.findMany({
    where: { id: { in: [...changed] }, workspaceId },
    include: COMMENT_INCLUDE,
  });
  return toViews(prismaRows);
}

/**
 * Deletes a comment of a session of the workspace: only its author may (403
 * `forbidden:author`). A thread's first comment that has replies is kept as deleted — its
 * text and mentions gone, its anchor and thread kept — so the replies stay readable; any
 * other comment is removed, and a deleted first comment whose last reply goes is removed
 * with it. Answers what changed: the comments kept as deleted, and the ids removed.
 */
export async function deleteComment({
  sessionId,
  workspaceId,
  commentId,
  author,
}: {
  sessionId: string;
  workspaceId: string;
  commentId: string;
  author: Author;
}): Promise<{ kept: CommentView[]; removed: string[] }> {
  const prisma = await getPrisma();
  const row = await prisma.comment.findFirst({
    where: { id: commentId, sessionId, workspaceId, deletedAt: null },
    select: { id: true, parentId: true, authorId: true, _count: { select: { replies: true } } },
  });
  if (!row) throw commentNotFound();
  if (row.authorId === null || row.authorId !== author.userId) {
    throw new AppError("forbidden:author", "Only the person who wrote a comment can delete it.");
  }
  if (row.parentId === null && row._count.replies > 0) {
    await prisma.$transaction([
      prisma.comment.update({ where: { id: row.id }, data: { body: "", deletedAt: new Date() } }),
      prisma.commentMention.deleteMany({ where: { commentId: row.id } }),
    ]);
    return { kept: [await oneComment({ id: row.id, workspaceId })], removed: [] };
  }
  await prisma.comment.delete({ where: { id: row.id } });
  const removed = [row.id];
  if (row.parentId !== null) {
    // a thread whose first comment was deleted ends with its last reply
    const emptied = await prisma.comment.deleteMany({
      where: { id: row.parentId, workspaceId, deletedAt: { not: null }, replies: { none: {} } },
    });
    if (emptied.count > 0) removed.push(row.parentId);
  }
  return { kept: [], removed };
}
