"use client";

import { createContext } from "react";
import type { CommentPerson, CommentView, CreateCommentBody, SendCommentPreview } from "@/lib/wire/comments";

/**
 * Review comments in the timeline (issue 12 item 1): what a row needs to show its step's
 * threads — the session's comments by step, the members a comment may @mention, who this
 * viewer is, whether they may write (`comments:write`), and the calls that write. Null:
 * comments are not shown (a share link's page: they are the workspace's).
 */
export interface CommentsApi {
  byStep: ReadonlyMap<string, readonly CommentView[]>;
  members: readonly CommentPerson[];
  you: string | null;
  canWrite: boolean;
  create: (body: CreateCommentBody) => Promise<void>;
  update: (commentId: string, change: { body?: string; resolved?: boolean }) => Promise<void>;
  /** deletes one's own comment; throws ApiError */
  remove: (commentId: string) => Promise<void>;
  /** the person may send a comment to the model (`runs:start`) */
  canSend: boolean;
  /** how sending it would reach the model, asked before they send; throws ApiError */
  previewSend: (commentId: string) => Promise<SendCommentPreview>;
  /** Send to model: the comment becomes a step after its step (`stepId`) and a run goes on; throws ApiError */
  send: (commentId: string, stepId: string) => Promise<void>;
}

export const CommentsContext = createContext<CommentsApi | null>(null);

/** The session's comments grouped by step, oldest first. */
export function commentsByStep(comments: Iterable<CommentView>): Map<string, CommentView[]> {
  const byStep = new Map<string, CommentView[]>();
  for (const comment of comments) {
    const list = byStep.get(comment.stepId) ?? [];
    list.push(comment);
    byStep.set(comment.stepId, list);
  }
  for (const list of byStep.values()) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return byStep;
}
