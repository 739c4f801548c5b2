import "server-only";
import { personStepReplay } from "@/lib/agent/history";
import { startRun } from "@/lib/agent/run";
import { authorOf } from "@/lib/auth/authors";
import type { Caller } from "@/lib/auth/scopes";
import { getComment } from "@/lib/db/comments";
import { listSessionSteps } from "@/lib/db/steps";
import { appendHumanStep, assertNoRunStreamingThrough } from "@/lib/sessions/edits";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { CommentView, SendCommentPreview } from "@/lib/wire/comments";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";

/**
 * "Send to model" on a review comment (issue 12 item 3): the comment becomes a step after
 * the step it is on (a user_note carrying the comment and its author), and a run continues
 * from there. After a tool result it rides in that result, labelled as the reviewer's, so
 * the model keeps its thinking; elsewhere it is a message and the model starts a fresh turn
 * (`replayAs` says which, history.ts decides).
 */

type Scope = { sessionId: string; workspaceId: string };

/** The comment and how it would reach the model: in the tool result before it, or as a message. */
async function plan(
  scope: Scope,
  commentId: string,
): Promise<{ comment: CommentView; replayAs: SendCommentPreview["replayAs"] }> {
  const comment = await getComment({ ...scope, commentId });
  const path = pathTo(indexSteps(await listSessionSteps(scope)), comment.stepId);
  return { comment, replayAs: personStepReplay(path) };
}

/**
 * What sending the comment would do, without doing it: the UI says it before the person
 * sends. Throws AppError not_found:comment.
 */
export async function previewCommentSend({
  caller,
  session,
  commentId,
}: {
  caller: Caller;
  session: SessionSummary;
  commentId: string;
}): Promise<SendCommentPreview> {
  const { replayAs } = await plan({ sessionId: session.id, workspaceId: caller.workspaceId }, commentId);
  return { replayAs };
}

/**
 * Sends the comment: the step after its step, and the run from there. Throws AppError:
 * not_found:comment, conflict:run (a run is going on that branch), and whatever starting
 * the run throws.
 */
export async function sendCommentToModel({
  caller,
  session,
  commentId,
}: {
  caller: Caller;
  session: SessionSummary;
  commentId: string;
}): Promise<{ step: StepNode; run: RunView }> {
  const scope = { sessionId: session.id, workspaceId: caller.workspaceId };
  const { comment, replayAs } = await plan(scope, commentId);
  await assertNoRunStreamingThrough({ ...scope, stepId: comment.stepId });
  const author = authorOf(caller);
  const step = await appendHumanStep(
    { ...scope, author },
    {
      parentId: comment.stepId,
      kind: "user_note",
      origin: "human",
      content: comment.body,
      turn: null,
      editedFromId: null,
      providerData: { comment: { id: comment.id, by: comment.authorName }, replayAs },
    },
  );
  const run = await startRun({ ...scope, fromStepId: step.id, author });
  return { step, run };
}
