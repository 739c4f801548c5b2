import type { RunView } from "@/lib/db/mappers";
import type { SessionEvent, SessionStreamMessage } from "@/lib/realtime/events";
import { applySessionEvent, applySessionEvents, type SessionState, stateFromSnapshot } from "@/lib/realtime/state";
import { indexSteps, latestLeafUnder } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";

/**
 * What one viewer holds: the session as folded from the stream, and the leaf whose path
 * is on screen. The leaf lives beside the steps so that following a streaming run (a new
 * step below the leaf becomes the leaf) happens in the same update as the step arriving.
 */
export interface ViewState {
  stream: SessionState;
  leafId: string | null;
}

export type ViewAction =
  | { type: "messages"; messages: readonly SessionStreamMessage[] }
  /** a step or run an API call returned, shown before its event arrives on the stream */
  | { type: "step"; step: StepNode }
  | { type: "run"; run: RunView }
  | { type: "open"; leafId: string };

export function initialViewState(stream: SessionState, requestedLeafId: string | null): ViewState {
  return { stream, leafId: resolveLeaf(stream, requestedLeafId) };
}

/** The leaf to show for a requested step: its latest continuation, or any branch when it is unknown. */
function resolveLeaf(stream: SessionState, requested: string | null): string | null {
  const index = indexSteps([...stream.steps.values()]);
  const start = requested && stream.steps.has(requested) ? requested : stream.session.activeLeafId;
  if (start && stream.steps.has(start)) return latestLeafUnder(index, start).id;
  const root = index.children.get(null)?.[0];
  return root ? latestLeafUnder(index, root.id).id : null;
}

export function viewReducer(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case "messages": {
      let { stream, leafId } = state;
      let resync = false;
      // Events between snapshots fold in as one batch: one copy of the state per frame, not one per event.
      let batch: SessionEvent[] = [];
      for (const message of action.messages) {
        if (message.type === "snapshot") {
          stream = mergeSnapshot(applySessionEvents(stream, batch), stateFromSnapshot(message));
          batch = [];
          resync = true;
          continue;
        }
        batch.push(message);
        if (message.type === "step.created" && message.step.parentId !== null && message.step.parentId === leafId) {
          leafId = message.step.id;
        }
      }
      stream = applySessionEvents(stream, batch);
      // After a snapshot (a reconnect) the branch may have grown while nobody was listening.
      if (resync || leafId === null || !stream.steps.has(leafId)) leafId = resolveLeaf(stream, leafId);
      return stream === state.stream && leafId === state.leafId ? state : { stream, leafId };
    }
    // The stream is the authority: an API response that arrives after its event must not roll it back.
    case "step": {
      if (state.stream.steps.has(action.step.id)) return state;
      const stream = applySessionEvent(state.stream, {
        type: "step.created",
        step: action.step,
        seq: state.stream.seq,
      });
      const follows = action.step.parentId !== null && action.step.parentId === state.leafId;
      return { stream, leafId: follows ? action.step.id : state.leafId };
    }
    case "run":
      if (state.stream.runs.has(action.run.id)) return state;
      return {
        ...state,
        stream: applySessionEvent(state.stream, { type: "run.updated", run: action.run, seq: state.stream.seq }),
      };
    case "open":
      return state.stream.steps.has(action.leafId) ? { ...state, leafId: action.leafId } : state;
  }
}

/**
 * A snapshot after a reconnect repeats mostly what the viewer already has; keeping the
 * unchanged steps' identities means only the steps that really changed re-render.
 */
function mergeSnapshot(previous: SessionState, next: SessionState): SessionState {
  const steps = new Map<string, StepNode>();
  for (const [id, step] of next.steps) {
    const known = previous.steps.get(id);
    steps.set(id, known && sameStep(known, step) ? known : step);
  }
  return { ...next, steps };
}

function sameStep(a: StepNode, b: StepNode): boolean {
  for (const key of Object.keys(b) as (keyof StepNode)[]) {
    if (key === "providerData") continue;
    if (a[key] !== b[key]) return false;
  }
  return JSON.stringify(a.providerData) === JSON.stringify(b.providerData);
}
