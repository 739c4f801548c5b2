"use client";

import { type Dispatch, useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { RunView } from "@/lib/db/mappers";
import { latestLeafUnder, type StepIndex, siblingsOf } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { StepActions } from "../timeline/step-actions";
import { ApiError, apiFetch } from "../ui/api";
import type { RunNotice } from "./run-composer";
import type { ViewAction } from "./session-store";

function messageOf(error: unknown, fallback: string): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** Shows `leafId` in the address bar without a navigation (no server round trip). */
function rememberLeafInUrl(leafId: string) {
  const url = new URL(window.location.href);
  url.searchParams.set("leaf", leafId);
  window.history.replaceState(window.history.state, "", url);
}

/**
 * What a person can do to the session on screen: open a branch, start and stop runs, act
 * on a step, and take in what the editor recorded. Holds the selected step and the run
 * notice. Every callback reads the latest state through a ref, so they keep one identity
 * across renders and a streaming delta hands no row a new prop.
 */
export function useSessionActions({
  sessionId,
  index,
  leafId,
  activeRun,
  dispatch,
}: {
  sessionId: string;
  index: StepIndex;
  leafId: string | null;
  activeRun: RunView | null;
  dispatch: Dispatch<ViewAction>;
}) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<RunNotice | null>(null);

  const latest = useRef({ index, leafId, activeRun });
  useLayoutEffect(() => {
    latest.current = { index, leafId, activeRun };
  });

  const openLeaf = useCallback(
    (target: string, { exact = false }: { exact?: boolean } = {}) => {
      const { index } = latest.current;
      // A step an API call just returned is not in the last render's index yet; it is a leaf anyway.
      const leaf = exact || !index.byId.has(target) ? target : latestLeafUnder(index, target).id;
      dispatch({ type: "open", leafId: leaf });
      rememberLeafInUrl(leaf);
      if (!exact) {
        apiFetch(`/api/sessions/${sessionId}`, { method: "PATCH", json: { activeLeafId: leaf } }).catch(() => {
          // Only the default branch for the next visit is lost; the URL still points here.
        });
      }
    },
    [sessionId, dispatch],
  );

  const startRun = useCallback(
    /** `restoreView`: on failure, go back to the branch that was on screen */
    async (fromStepId: string, { restoreView = true }: { restoreView?: boolean } = {}) => {
      setNotice(null);
      const previousLeaf = latest.current.leafId;
      const moves = fromStepId !== previousLeaf;
      // Show the path up to where the run starts before asking: its first step can arrive on
      // the stream before this request returns, and the view follows steps below its leaf.
      if (moves) openLeaf(fromStepId, { exact: true });
      setSelectedId(null);
      try {
        const { run } = await apiFetch<{ run: RunView }>(`/api/sessions/${sessionId}/runs`, {
          method: "POST",
          json: { fromStepId },
        });
        dispatch({ type: "run", run });
      } catch (error) {
        if (restoreView && moves && previousLeaf) openLeaf(previousLeaf, { exact: true });
        setNotice({
          message: messageOf(error, "Could not start the run."),
          offerStop: error instanceof ApiError && error.status === 409,
        });
      }
    },
    [sessionId, openLeaf, dispatch],
  );

  const stopRun = useCallback(async () => {
    const run = latest.current.activeRun;
    if (!run) return;
    try {
      // The run's new status arrives on the stream, like every other viewer's.
      await apiFetch(`/api/runs/${run.id}/cancel`, { method: "POST" });
      setNotice(null);
    } catch (error) {
      setNotice({ message: messageOf(error, "Could not stop the run."), offerStop: false });
    }
  }, []);

  /** Runs from the end of the branch on screen, unless a run is going. */
  const runFromLeaf = useCallback(() => {
    if (latest.current.leafId && !latest.current.activeRun) void startRun(latest.current.leafId);
  }, [startRun]);

  const steps = useMemo<StepActions>(
    () => ({
      select: (stepId) => setSelectedId(stepId),
      switchSibling: (stepId, direction) => {
        const { siblings, position } = siblingsOf(latest.current.index, stepId);
        const target = siblings[position + direction];
        if (!target) return;
        openLeaf(target.id);
        setSelectedId(target.id);
      },
      regenerate: (stepId) => void startRun(stepId),
      saveEdit: async (step, content, { regenerate }) => {
        const { step: created } = await apiFetch<{ step: StepNode }>(
          `/api/sessions/${sessionId}/steps/${step.id}/edit`,
          { method: "POST", json: { content } },
        );
        dispatch({ type: "step", step: created });
        openLeaf(created.id);
        setSelectedId(created.id);
        // The edit is saved either way: a run that can't start must not hide it.
        if (regenerate) await startRun(created.id, { restoreView: false });
      },
      stopRun: () => void stopRun(),
    }),
    [openLeaf, startRun, stopRun, sessionId, dispatch],
  );

  const files = useMemo(
    () => ({
      /** a person saved a file: the new step extends the branch */
      onSaved: (step: StepNode) => {
        dispatch({ type: "step", step });
        setSelectedId(null);
      },
      /** a test run at a step in the middle of the branch starts a new branch there: open it */
      onTestRun: (step: StepNode) => {
        dispatch({ type: "step", step });
        openLeaf(step.id, { exact: true });
        setSelectedId(null);
      },
      onShowEnd: () => setSelectedId(null),
    }),
    [dispatch, openLeaf],
  );

  return { selectedId, notice, openLeaf, startRun, stopRun, runFromLeaf, steps, files };
}
