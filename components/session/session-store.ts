import { addToOutline, type BranchOutline, openInOutline, removeFromOutline } from "@/lib/steps/branch-outline";
import type { StepNode } from "@/lib/steps/types";
import type { CommentView } from "@/lib/wire/comments";
import type { SessionEvent, SessionStreamMessage } from "@/lib/wire/events";
import {
  applyCommentList,
  applySessionEvent,
  applySessionEvents,
  mergeComments,
  type SessionState,
  stateFromSnapshot,
} from "@/lib/wire/session-state";
import type { RunView } from "@/lib/wire/sessions";

/**
 * What one viewer holds: the session as folded from the stream (with the steps it has
 * loaded, not the whole tree), and the outline of the branch on screen. The outline lives
 * beside the steps so that following a streaming run (a new step below the leaf becomes
 * the leaf) happens in the same update as the step arriving.
 */
export interface ViewState {
  stream: SessionState;
  branch: BranchOutline;
}

export type ViewAction =
  | { type: "messages"; messages: readonly SessionStreamMessage[] }
  /**
   * a step or run an API call returned, shown before its event arrives on the stream;
   * `open`: it becomes the end of the branch on screen (an edit, a test run mid-branch)
   */
  | { type: "step"; step: StepNode; open?: boolean }
  | { type: "run"; run: RunView }
  /** open a step the outline can place (on the path, or a child of a path step) as the end of the branch */
  | { type: "open"; step: Pick<StepNode, "id" | "parentId" | "kind"> }
  /** a branch outline the server sent (GET /api/sessions/:id/branch), with its last steps */
  | { type: "branch"; branch: BranchOutline; steps: readonly StepNode[] }
  /** steps fetched as their rows came into view (GET /api/sessions/:id/steps) */
  | { type: "steps"; steps: readonly StepNode[] }
  /** a comment as a POST or PATCH returned it */
  | { type: "comments"; comments: readonly CommentView[] }
  /** the session's comments as GET /api/sessions/:id/comments listed them; `knownAtRequest`: the ids this view had when it asked */
  | { type: "comments.listed"; comments: readonly CommentView[]; knownAtRequest: ReadonlySet<string> };

export function initialViewState(stream: SessionState, branch: BranchOutline): ViewState {
  return { stream, branch };
}

/** Steps fetched by a request: the stream is fresher for any step it already delivered. */
function withFetched(stream: SessionState, steps: readonly StepNode[]): SessionState {
  const fresh = steps.filter((step) => !stream.steps.has(step.id));
  if (fresh.length === 0) return stream;
  const merged = new Map(stream.steps);
  for (const step of fresh) merged.set(step.id, step);
  return { ...stream, steps: merged };
}

/**
 * A branch the server outlined may be older than the stream: steps this viewer already
 * got below its leaf (a run that went on meanwhile) extend it, newest child first.
 */
function followKnownChildren(branch: BranchOutline, steps: ReadonlyMap<string, StepNode>): BranchOutline {
  let outline = branch;
  for (let hops = 0; hops <= steps.size; hops++) {
    let newest: StepNode | undefined;
    for (const step of steps.values()) {
      if (
        step.parentId === outline.leafId &&
        step.parentId !== null &&
        (!newest || step.createdAt >= newest.createdAt)
      ) {
        newest = step;
      }
    }
    if (!newest) return outline;
    outline = addToOutline(outline, newest);
  }
  return outline;
}

export function viewReducer(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case "messages": {
      let { stream, branch } = state;
      let resync = false;
      // Events between snapshots fold in as one batch: one copy of the state per frame, not one per event.
      let batch: SessionEvent[] = [];
      for (const message of action.messages) {
        if (message.type === "snapshot") {
          stream = mergeSnapshot(applySessionEvents(stream, batch), stateFromSnapshot(message));
          branch = message.branch;
          batch = [];
          resync = true;
          continue;
        }
        batch.push(message);
        if (message.type === "step.created") branch = addToOutline(branch, message.step);
        else if (message.type === "step.removed") branch = removeFromOutline(branch, message.stepId);
      }
      stream = applySessionEvents(stream, batch);
      if (resync) branch = followKnownChildren(branch, stream.steps);
      return stream === state.stream && branch === state.branch ? state : { stream, branch };
    }
    // The stream is the authority: an API response that arrives after its event must not roll it back.
    case "step": {
      const known = state.stream.steps.has(action.step.id);
      const stream = known
        ? state.stream
        : applySessionEvent(state.stream, { type: "step.created", step: action.step, seq: state.stream.seq });
      const added = addToOutline(state.branch, action.step);
      const branch = action.open ? (openInOutline(added, action.step) ?? added) : added;
      return stream === state.stream && branch === state.branch ? state : { stream, branch };
    }
    case "run":
      if (state.stream.runs.has(action.run.id)) return state;
      return {
        ...state,
        stream: applySessionEvent(state.stream, { type: "run.updated", run: action.run, seq: state.stream.seq }),
      };
    case "open": {
      const branch = openInOutline(state.branch, action.step);
      return branch ? { ...state, branch } : state;
    }
    case "branch": {
      const stream = withFetched(state.stream, action.steps);
      return { stream, branch: followKnownChildren(action.branch, stream.steps) };
    }
    case "steps": {
      const stream = withFetched(state.stream, action.steps);
      return stream === state.stream ? state : { ...state, stream };
    }
    case "comments":
    case "comments.listed": {
      const comments =
        action.type === "comments"
          ? mergeComments(state.stream.comments, action.comments)
          : applyCommentList(state.stream.comments, action.comments, action.knownAtRequest);
      return comments === state.stream.comments ? state : { ...state, stream: { ...state.stream, comments } };
    }
  }
}

/**
 * A snapshot after a reconnect repeats mostly what the viewer already has; keeping the
 * unchanged steps' identities means only the steps that really changed re-render. Steps
 * it doesn't carry are kept when they had ended (an ended step doesn't change); one that
 * was streaming may have changed or gone meanwhile, so it is dropped and fetched again
 * when its row comes into view.
 */
function mergeSnapshot(previous: SessionState, next: SessionState): SessionState {
  const steps = new Map<string, StepNode>();
  for (const [id, step] of previous.steps) if (step.status !== "streaming" && !next.steps.has(id)) steps.set(id, step);
  for (const [id, step] of next.steps) {
    const known = previous.steps.get(id);
    steps.set(id, known && sameStep(known, step) ? known : step);
  }
  // comments come from their own list and events, not the snapshot: keep them
  return { ...next, steps, comments: previous.comments };
}

function sameStep(a: StepNode, b: StepNode): boolean {
  for (const key of Object.keys(b) as (keyof StepNode)[]) {
    if (key === "providerData") continue;
    if (a[key] !== b[key]) return false;
  }
  return JSON.stringify(a.providerData) === JSON.stringify(b.providerData);
}
