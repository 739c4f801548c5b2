import type { RunView, SessionSummary } from "@/lib/db/mappers";
import type { StepNode } from "@/lib/steps/types";
import type { SessionEvent, SessionSnapshot } from "./events";

/**
 * A viewer's copy of a session, folded from a snapshot and the events after it.
 * Steps are kept in a Map whose entries are replaced (never mutated), so a streaming
 * delta gives exactly one step a new identity and only that step re-renders.
 */
export interface SessionState {
  seq: number;
  session: SessionSummary;
  steps: ReadonlyMap<string, StepNode>;
  runs: ReadonlyMap<string, RunView>;
}

export function stateFromSnapshot(snapshot: Omit<SessionSnapshot, "type">): SessionState {
  return {
    seq: snapshot.seq,
    session: snapshot.session,
    steps: new Map(snapshot.steps.map((step) => [step.id, step])),
    runs: new Map(snapshot.runs.map((run) => [run.id, run])),
  };
}

/** Appends `text` written at `offset`, tolerating replays and overlaps of what is already there. */
export function appendAt(content: string, offset: number, text: string): string {
  if (offset > content.length) return content + text;
  const overlap = content.length - offset;
  if (overlap >= text.length) return content;
  return content + text.slice(overlap);
}

export function applySessionEvent(state: SessionState, event: SessionEvent): SessionState {
  const seq = Math.max(state.seq, event.seq);
  switch (event.type) {
    case "step.created":
    case "step.updated": {
      const steps = new Map(state.steps);
      steps.set(event.step.id, event.step);
      return { ...state, seq, steps };
    }
    case "step.delta": {
      const step = state.steps.get(event.stepId);
      if (!step) return { ...state, seq };
      const content = appendAt(step.content, event.offset, event.text);
      if (content === step.content) return { ...state, seq };
      const steps = new Map(state.steps);
      steps.set(step.id, { ...step, content, firstTokenAt: step.firstTokenAt ?? new Date().toISOString() });
      return { ...state, seq, steps };
    }
    case "step.removed": {
      if (!state.steps.has(event.stepId)) return { ...state, seq };
      const steps = new Map(state.steps);
      steps.delete(event.stepId);
      return { ...state, seq, steps };
    }
    case "run.updated": {
      const runs = new Map(state.runs);
      runs.set(event.run.id, event.run);
      return { ...state, seq, runs };
    }
    case "session.updated":
      return { ...state, seq, session: event.session };
  }
}
