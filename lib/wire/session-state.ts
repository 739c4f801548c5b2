import type { StepNode } from "@/lib/steps/types";
import type { CommentView } from "@/lib/wire/comments";
import type { Viewer } from "@/lib/wire/presence";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";
import type { SessionEvent, SessionSnapshot } from "./events";

/**
 * A viewer's copy of a session, folded from a snapshot and the events after it: the
 * steps it has (the branch on screen's, those fetched since, those streamed), not
 * necessarily the whole tree.
 * Steps are kept in a Map whose entries are replaced (never mutated), so a streaming
 * delta gives exactly one step a new identity and only that step re-renders.
 */
export interface SessionState {
  seq: number;
  session: SessionSummary;
  steps: ReadonlyMap<string, StepNode>;
  runs: ReadonlyMap<string, RunView>;
  /** who is viewing the session now (this tab included), from the latest `presence` event */
  viewers: readonly Viewer[];
  /** the session's review comments this viewer has (GET …/comments, then `comment.*` events), by id */
  comments: ReadonlyMap<string, CommentView>;
}

export function stateFromSnapshot(snapshot: Pick<SessionSnapshot, "seq" | "session" | "steps" | "runs">): SessionState {
  return {
    seq: snapshot.seq,
    session: snapshot.session,
    steps: new Map(snapshot.steps.map((step) => [step.id, step])),
    runs: new Map(snapshot.runs.map((run) => [run.id, run])),
    viewers: [],
    comments: new Map(),
  };
}

/** Appends `text` written at `offset`, tolerating replays and overlaps of what is already there. */
export function appendAt(content: string, offset: number, text: string): string {
  if (offset > content.length) return content + text;
  const overlap = content.length - offset;
  if (overlap >= text.length) return content;
  return content + text.slice(overlap);
}

/**
 * Folds a batch of events (what one animation frame brought) into the state with one copy
 * of the step and run maps, made on the first change; the state comes back unchanged
 * (same object) when nothing in the batch changes it. Only the steps an event touches get
 * a new identity.
 */
export function applySessionEvents(state: SessionState, events: readonly SessionEvent[]): SessionState {
  let { seq, session, viewers } = state;
  let steps: Map<string, StepNode> | null = null;
  let runs: Map<string, RunView> | null = null;
  let comments: ReadonlyMap<string, CommentView> = state.comments;
  const writableSteps = () => {
    steps ??= new Map(state.steps);
    return steps;
  };
  for (const event of events) {
    seq = Math.max(seq, event.seq);
    switch (event.type) {
      case "step.created":
      case "step.updated":
        writableSteps().set(event.step.id, keepAuthor((steps ?? state.steps).get(event.step.id), event.step));
        break;
      case "step.delta": {
        const step = (steps ?? state.steps).get(event.stepId);
        if (!step) break;
        const content = appendAt(step.content, event.offset, event.text);
        if (content === step.content) break;
        writableSteps().set(step.id, { ...step, content, firstTokenAt: step.firstTokenAt ?? new Date().toISOString() });
        break;
      }
      case "step.removed":
        if ((steps ?? state.steps).has(event.stepId)) writableSteps().delete(event.stepId);
        break;
      case "run.updated":
        runs ??= new Map(state.runs);
        runs.set(event.run.id, keepRunFacts(runs.get(event.run.id), event.run));
        break;
      case "session.updated":
        session = event.session;
        break;
      case "presence":
        viewers = event.viewers;
        break;
      case "comment.created":
      case "comment.updated":
        comments = mergeComments(comments, [event.comment]);
        break;
      case "comment.deleted":
        if (comments.has(event.commentId)) {
          const left = new Map(comments);
          left.delete(event.commentId);
          comments = left;
        }
        break;
    }
  }
  if (
    steps === null &&
    runs === null &&
    seq === state.seq &&
    session === state.session &&
    viewers === state.viewers &&
    comments === state.comments
  ) {
    return state;
  }
  return { seq, session, steps: steps ?? state.steps, runs: runs ?? state.runs, viewers, comments };
}

/**
 * Comments laid over the ones a viewer has, each kept in its newest version (by
 * `updatedAt`): the list a page loads and the events it streams may arrive in either
 * order. The same map back when nothing is newer.
 */
export function mergeComments(
  known: ReadonlyMap<string, CommentView>,
  incoming: readonly CommentView[],
): ReadonlyMap<string, CommentView> {
  let next: Map<string, CommentView> | null = null;
  for (const comment of incoming) {
    const have = (next ?? known).get(comment.id);
    if (have && have.updatedAt > comment.updatedAt) continue;
    next ??= new Map(known);
    next.set(comment.id, comment);
  }
  return next ?? known;
}

/**
 * The session's comments as a fresh list (GET …/comments) leaves them: each listed comment
 * merged in its newest version (mergeComments), and each comment the viewer already had
 * when it asked for the list (`knownAtRequest`, ids) but the list leaves out dropped — it
 * was deleted meanwhile, perhaps while the viewer's stream was down and the reconnect got
 * a snapshot, which carries no comments, instead of the missed `comment.deleted`. A
 * comment the viewer learnt of after asking (an event racing the list) is kept: the list
 * may have been read before it was written.
 */
export function applyCommentList(
  known: ReadonlyMap<string, CommentView>,
  listed: readonly CommentView[],
  knownAtRequest: ReadonlySet<string>,
): ReadonlyMap<string, CommentView> {
  const merged = mergeComments(known, listed);
  const listedIds = new Set(listed.map((comment) => comment.id));
  const gone = [...knownAtRequest].filter((id) => merged.has(id) && !listedIds.has(id));
  if (gone.length === 0) return merged;
  const left = new Map(merged);
  for (const id of gone) left.delete(id);
  return left;
}

/**
 * A step as an update brings it, with the author's name the viewer already had when the
 * update doesn't carry one (a step's author never changes; updates written from a run's
 * row, such as an orphaned run's steps being closed, are read without it).
 */
export function keepAuthor(known: StepNode | undefined, next: StepNode): StepNode {
  if (next.authorName != null || !known?.authorName) return next;
  return known.authorId
    ? { ...next, authorName: known.authorName, authorId: known.authorId }
    : { ...next, authorName: known.authorName };
}

/**
 * A run as an update brings it, with what the viewer already had that never changes once
 * known and the update doesn't carry: the starter's name, and the run that resumed it.
 */
export function keepRunFacts(known: RunView | undefined, next: RunView): RunView {
  const starter =
    next.startedByName == null && known?.startedByName ? { startedByName: known.startedByName } : undefined;
  const resumedBy =
    next.resumedByRunId == null && known?.resumedByRunId ? { resumedByRunId: known.resumedByRunId } : undefined;
  return starter || resumedBy ? { ...next, ...starter, ...resumedBy } : next;
}

/** One event: `applySessionEvents` with a batch of one. */
export function applySessionEvent(state: SessionState, event: SessionEvent): SessionState {
  return applySessionEvents(state, [event]);
}
