import "server-only";
import { personStepReplay } from "@/lib/agent/history";
import { startRun } from "@/lib/agent/run";
import { authorOf } from "@/lib/auth/authors";
import type { Caller } from "@/lib/auth/scopes";
import { listComments } from "@/lib/db/comments";
import { listSessionSteps } from "@/lib/db/steps";
import { AppError } from "@/lib/http/errors";
import { appendHumanStep, assertNoRunStreamingThrough } from "@/lib/sessions/edits";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";

/**
 * "Send to model" on a review comment (issue 12 item 3): the comment becomes a step after
 * the step it is on (a user_note carrying the comment and its author), and a run continues
 * from there. After a tool result it rides in that result, labelled as the reviewer's, so
 * the model keeps its thinking; elsewhere it is a message and the model starts a fresh turn
 * (`replayAs` says which, history.ts decides).
 *
 * Throws AppError: not_found:comment, conflict:run (a run is going on that branch), and
 * whatever starting the run throws.
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
  const comment = (await listComments(scope)).find((candidate) => candidate.id === commentId);
  if (!comment) throw new AppError("not_found:comment", "This comment doesn't exist, or it was deleted.");
  await assertNoRunStreamingThrough({ ...scope, stepId: comment.stepId });
  const path = pathTo(indexSteps(await listSessionSteps(scope)), comment.stepId);
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
      providerData: { comment: { id: comment.id, by: comment.authorName }, replayAs: personStepReplay(path) },
    },
  );
  const run = await startRun({ ...scope, fromStepId: step.id, author });
  return { step, run };
}
