"use client";

import { type Dispatch, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { CommentPerson, CommentView, CreateCommentBody, UpdateCommentBody } from "@/lib/wire/comments";
import { loadApi } from "@/lib/wire/load-api";
import { announceReviewChange } from "../app/review-signal";
import { type CommentsApi, commentsByStep } from "../timeline/comments-context";
import { useCan } from "./session-access";
import type { ViewAction } from "./session-store";
import type { StreamStatus } from "./use-session-stream";

/**
 * The session's review comments for the timeline: listed when the stream goes live (again,
 * after a reconnect: changes missed meanwhile are in the list, deletions as absences —
 * a reconnect answered with a snapshot carries no comment events), kept current by the
 * stream's comment events (folded in session-state.ts), written through the API — each
 * write's answer is folded at once, its event makes it reach everyone else. The calls come
 * with `loadApi()`, after the page's first JavaScript: the first is made once the stream is live.
 */
export function useComments(
  sessionId: string,
  comments: ReadonlyMap<string, CommentView>,
  connection: StreamStatus,
  dispatch: Dispatch<ViewAction>,
  /** false on a share link's page: the comments are the workspace's, not the link's */
  enabled: boolean,
  { canSend, send }: Pick<CommentsApi, "canSend" | "send">,
): CommentsApi {
  const [members, setMembers] = useState<readonly CommentPerson[]>([]);
  const [you, setYou] = useState<string | null>(null);
  const canWrite = useCan("comments:write");
  // what the view had when a list is asked for: the list's absences among these are deletions
  const known = useRef(comments);
  useEffect(() => {
    known.current = comments;
  });
  useEffect(() => {
    if (!enabled || connection !== "live") return;
    let cancelled = false;
    const knownAtRequest = new Set(known.current.keys());
    loadApi()
      .then((api) => api.listComments(sessionId))
      .then(
        (list) => {
          if (cancelled) return;
          setMembers(list.members);
          setYou(list.you);
          dispatch({ type: "comments.listed", comments: list.comments, knownAtRequest });
        },
        () => {},
      );
    return () => {
      cancelled = true;
    };
  }, [sessionId, connection, dispatch, enabled]);

  const create = useCallback(
    async (body: CreateCommentBody) => {
      const { comment } = await (await loadApi()).createComment(sessionId, body);
      dispatch({ type: "comments", comments: [comment] });
    },
    [sessionId, dispatch],
  );
  const update = useCallback(
    async (commentId: string, change: UpdateCommentBody) => {
      const { comment } = await (await loadApi()).updateComment(sessionId, commentId, change);
      dispatch({ type: "comments", comments: [comment] });
    },
    [sessionId, dispatch],
  );
  // the stream's comment.updated / comment.deleted event folds the change in, for everyone alike
  const remove = useCallback(
    async (commentId: string) => {
      await (await loadApi()).deleteComment(sessionId, commentId);
    },
    [sessionId],
  );
  const byStep = useMemo(() => commentsByStep(comments.values()), [comments]);
  // a comment written, answered or resolved here or by anyone else changes the open threads the header counts
  useEffect(() => {
    if (comments.size > 0) announceReviewChange();
  }, [comments]);
  const previewSend = useCallback(
    async (commentId: string) => (await loadApi()).previewCommentSend(sessionId, commentId),
    [sessionId],
  );
  return useMemo(
    () => ({ byStep, members, you, canWrite, create, update, remove, canSend, previewSend, send }),
    [byStep, members, you, canWrite, create, update, remove, canSend, previewSend, send],
  );
}
