"use client";

import { useCallback, useLayoutEffect, useMemo, useReducer, useRef } from "react";
import type { BranchOutline } from "@/lib/steps/branch-outline";
import { ACTIVE_RUN_STATUSES, type StepKind, type StepNode } from "@/lib/steps/types";
import { visibleStep } from "@/lib/steps/visible-text";
import type { SessionStreamMessage } from "@/lib/wire/events";
import { type SessionState, stateFromSnapshot } from "@/lib/wire/session-state";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";
import { useSessionAccess } from "./session-access";
import { initialViewState, viewReducer } from "./session-store";
import { useSessionStream } from "./use-session-stream";

/**
 * The session as this viewer sees it: seeded by the server's render (the branch on
 * screen's outline and its last steps), kept current by the SSE stream, with the rows of
 * the path derived from it — each row's step once it is loaded.
 */
export interface LiveSessionSeed {
  session: SessionSummary;
  steps: StepNode[];
  runs: RunView[];
  branch: BranchOutline;
}

/** One step of the branch on screen: its id and kind always, the step itself once loaded. */
export interface PathRow {
  id: string;
  kind: StepKind;
  step: StepNode | undefined;
}

/** `viewerId`: this tab's id, sent with the stream so the others see it (presence); null to stay unseen. */
export function useLiveSession(
  { session, steps, runs, branch: seedBranch }: LiveSessionSeed,
  viewerId: string | null = null,
) {
  const [{ stream, branch }, dispatch] = useReducer(viewReducer, null, () =>
    initialViewState(stateFromSnapshot({ seq: 0, session, steps, runs }), seedBranch),
  );

  const current = useRef({ seq: stream.seq, leafId: branch.leafId });
  useLayoutEffect(() => {
    current.current = { seq: stream.seq, leafId: branch.leafId };
  });
  const onMessages = useCallback((messages: SessionStreamMessage[]) => dispatch({ type: "messages", messages }), []);
  const position = useCallback(() => current.current, []);
  const { share } = useSessionAccess();
  const { status: connection, ended } = useSessionStream(session.id, onMessages, position, viewerId, share);

  // what the page draws: NUL and broken surrogates in model output as visible markers
  const loaded = useMemo(() => {
    const visible = new Map<string, StepNode>();
    for (const [id, step] of stream.steps) visible.set(id, visibleStep(step));
    return visible as ReadonlyMap<string, StepNode>;
  }, [stream.steps]);
  const rows = useMemo<PathRow[]>(
    () => branch.path.map((id, i) => ({ id, kind: branch.kinds[i] ?? "text", step: loaded.get(id) })),
    [branch, loaded],
  );
  /** the path's steps that are loaded, in order (the end of the path always is) */
  const loadedPath = useMemo(() => rows.flatMap((row) => (row.step ? [row.step] : [])), [rows]);
  return { stream, branch, leafId: branch.leafId, dispatch, connection, ended, loaded, rows, loadedPath };
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
