import { fileMarkers, fileWrittenBy } from "@/lib/comments/anchor";
import type { StepNode } from "@/lib/steps/types";
import { type CommentView, DELETED_COMMENT_TEXT } from "@/lib/wire/comments";

/**
 * A comment thread on lines of the file open in the editor, as the editor marks it: a
 * glyph on its first line, its lines tinted, its text on hover, a click opening the thread
 * in the timeline.
 */
export interface CommentMarker {
  /** the thread's first comment */
  commentId: string;
  /** the step the thread is on (the step that wrote this version of the file) */
  stepId: string;
  /** 1-based, inclusive, as that step left the file */
  startLine: number;
  endLine: number;
  authorName: string;
  body: string;
  replies: number;
  resolved: boolean;
  /**
   * the thread is on an earlier version of the file than the one shown (a later step of
   * the path wrote it again), so its lines may have moved
   */
  earlier: boolean;
}

/**
 * The markers for `filePath` shown at `pointId` (null: the end of `path`): the file
 * comments (fileMarkers) on steps of `path` up to the point, each saying whether it is on
 * the version shown — the last step up to the point that wrote the file — or an earlier
 * one. Comments on steps off the path, or after the point, are not marked. Pure.
 */
export function commentMarkers(
  comments: readonly CommentView[],
  filePath: string,
  path: readonly Pick<StepNode, "id" | "kind" | "providerData">[],
  pointId: string | null,
): CommentMarker[] {
  const threads = fileMarkers(comments, filePath);
  if (threads.length === 0) return [];
  const upToPoint = new Set(stepsUpTo(path, pointId).map((step) => step.id));
  const shownVersion = fileVersionStep(path, filePath, pointId);
  const replies = new Map<string, number>();
  for (const comment of comments) {
    if (comment.parentId !== null) replies.set(comment.parentId, (replies.get(comment.parentId) ?? 0) + 1);
  }
  return threads
    .filter((thread) => upToPoint.has(thread.stepId))
    .map((thread) => ({
      commentId: thread.id,
      stepId: thread.stepId,
      startLine: thread.anchor.startLine,
      endLine: thread.anchor.endLine,
      authorName: thread.authorName,
      body: thread.deletedAt === null ? thread.body : DELETED_COMMENT_TEXT,
      replies: replies.get(thread.id) ?? 0,
      resolved: thread.resolvedAt !== null,
      earlier: thread.stepId !== shownVersion,
    }))
    .sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
}

/** The steps of `path` up to the point `pointId` (null: the whole path), in path order. */
function stepsUpTo<T extends Pick<StepNode, "id">>(path: readonly T[], pointId: string | null): readonly T[] {
  const pointAt = pointId === null ? path.length - 1 : path.findIndex((step) => step.id === pointId);
  return path.slice(0, pointAt + 1);
}

/**
 * The step that wrote the version of `filePath` shown at `pointId` (null: the end of
 * `path`): the last step up to the point that wrote it. A new comment on lines of the file
 * is on that step. Null when no step up to the point wrote it (a starting file as
 * uploaded): there is no step to comment on. Pure.
 */
export function fileVersionStep(
  path: readonly Pick<StepNode, "id" | "kind" | "providerData">[],
  filePath: string,
  pointId: string | null,
): string | null {
  return stepsUpTo(path, pointId).findLast((step) => fileWrittenBy(step) === filePath)?.id ?? null;
}

/** An editor selection, as Monaco gives it: 1-based lines and columns, the end exclusive by column. */
export interface EditorSelection {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/** Lines of a file, 1-based and inclusive. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

/**
 * The lines a selection means, 1-based and inclusive: a selection dragged down to the
 * start of a line (column 1) stops at the line before it, as whole lines selected by the
 * line numbers do. A caret with no selection is its line.
 */
export function selectedLines(selection: EditorSelection): LineRange {
  const startLine = Math.min(selection.startLineNumber, selection.endLineNumber);
  let endLine = Math.max(selection.startLineNumber, selection.endLineNumber);
  const endColumn = selection.endLineNumber >= selection.startLineNumber ? selection.endColumn : selection.startColumn;
  if (endLine > startLine && endColumn === 1) endLine -= 1;
  return { startLine, endLine };
}

/** "line 3" or "lines 2–5", as a comment's lines are named. */
export function linesLabel({ startLine, endLine }: LineRange): string {
  return startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`;
}

/** The marker whose lines hold `line` (the first, by start), for a click in the glyph margin. */
export function markerAtLine(markers: readonly CommentMarker[], line: number): CommentMarker | null {
  return markers.find((marker) => marker.startLine <= line && line <= marker.endLine) ?? null;
}

/** A comment's text as Markdown that shows it literally (the hover renders Markdown). */
export function literalMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, "\\$&");
}

/** The hover of a marker: who, how many replies, open or resolved, the text, and a stale-lines warning. */
export function markerHover(marker: CommentMarker): string {
  const replies = marker.replies === 0 ? "" : ` · ${marker.replies} ${marker.replies === 1 ? "reply" : "replies"}`;
  const state = marker.resolved ? " · resolved" : "";
  const lines = [`**${literalMarkdown(marker.authorName)}**${replies}${state}`, "", literalMarkdown(marker.body)];
  if (marker.earlier) lines.push("", "_On an earlier version of this file: its lines may have moved._");
  lines.push("", "_Click the marker to open the thread._");
  return lines.join("\n");
}
