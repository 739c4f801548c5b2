"use client";

import { useCallback, useLayoutEffect, useMemo, useReducer, useRef } from "react";
import type { RunView, SessionSummary } from "@/lib/db/mappers";
import type { SessionStreamMessage } from "@/lib/realtime/events";
import { type SessionState, stateFromSnapshot } from "@/lib/realtime/state";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import { ACTIVE_RUN_STATUSES, type StepNode } from "@/lib/steps/types";
import { visibleStep } from "@/lib/steps/visible-text";
import { initialViewState, viewReducer } from "./session-store";
import { useSessionStream } from "./use-session-stream";

/**
 * The session as this viewer sees it: seeded by the server's render, kept current by the
 * SSE stream, with the step index and the path of the branch on screen derived from it.
 */
export interface LiveSessionSeed {
  session: SessionSummary;
  steps: StepNode[];
  runs: RunView[];
  initialLeafId: string | null;
}

export function useLiveSession({ session, steps, runs, initialLeafId }: LiveSessionSeed) {
  const [{ stream, leafId }, dispatch] = useReducer(viewReducer, null, () =>
    initialViewState(stateFromSnapshot({ seq: 0, session, steps, runs }), initialLeafId),
  );

  const seq = useRef(stream.seq);
  useLayoutEffect(() => {
    seq.current = stream.seq;
  });
  const onMessages = useCallback((messages: SessionStreamMessage[]) => dispatch({ type: "messages", messages }), []);
  const lastSeq = useCallback(() => seq.current, []);
  const connection = useSessionStream(session.id, onMessages, lastSeq);

  // what the page draws: NUL and broken surrogates in model output as visible markers
  const index = useMemo(() => indexSteps([...stream.steps.values()].map(visibleStep)), [stream.steps]);
  const path = useMemo(() => (leafId && index.byId.has(leafId) ? pathTo(index, leafId) : []), [index, leafId]);
  return { stream, leafId, dispatch, connection, index, path };
}

const ACTIVE_RUN = new Set<RunView["status"]>(ACTIVE_RUN_STATUSES);

/** The run in progress (anywhere in the session), and the run to report on for this branch. */
export function useRunReport(stream: SessionState, path: readonly StepNode[], leafId: string | null) {
  const runList = useMemo(
    () => [...stream.runs.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [stream.runs],
  );
  const activeRun = runList.findLast((run) => ACTIVE_RUN.has(run.status)) ?? null;
  // The run that made (or is about to extend) this branch, unless one is running anywhere.
  const pathRun = useMemo(() => {
    const onPath = new Set(path.map((step) => step.runId));
    return runList.findLast((run) => onPath.has(run.id) || run.fromStepId === leafId) ?? null;
  }, [path, runList, leafId]);
  const shownRun = activeRun ?? pathRun;
  const shownRunId = shownRun?.id ?? null;
  const turns = useMemo(() => {
    const seen = new Set<number>();
    for (const step of stream.steps.values()) if (step.runId === shownRunId && step.turn !== null) seen.add(step.turn);
    return seen.size;
  }, [stream.steps, shownRunId]);
  return { activeRun, shownRun, turns };
}
