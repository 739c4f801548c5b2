"use client";

import { type Dispatch, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { type BranchOutline, siblingsOnPath } from "@/lib/steps/branch-outline";
import type { StepNode } from "@/lib/steps/types";
import { api } from "@/lib/wire/api";
import { ApiError, apiFetch, errorMessage, withShare } from "@/lib/wire/client";
import type { RunView } from "@/lib/wire/sessions";
import type { StepActions } from "../timeline/step-actions";
import type { RunNotice } from "./run-composer";
import { useSessionAccess } from "./session-access";
import type { ViewAction } from "./session-store";

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
  branch,
  activeRun,
  dispatch,
}: {
  sessionId: string;
  branch: BranchOutline;
  activeRun: RunView | null;
  dispatch: Dispatch<ViewAction>;
}) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // `?step=<id>` (the Needs review page's link to a comment thread) opens with that step selected, its threads shown
  useEffect(() => {
    const step = new URL(window.location.href).searchParams.get("step");
    if (step) setSelectedId(step);
  }, []);
  /** a paused file write whose proposed content the person is editing in the Diff tab */
  const [reviewing, setReviewing] = useState<string | null>(null);
  const [notice, setNotice] = useState<RunNotice | null>(null);
  const { share, scopes } = useSessionAccess();
  // The session's default branch is its writers' to set: a viewer or a share link's visitor only looks.
  const saves = scopes.has("sessions:write");

  const latest = useRef({ branch, leafId: branch.leafId, activeRun });
  useLayoutEffect(() => {
    latest.current = { branch, leafId: branch.leafId, activeRun };
  });

  /** The address bar, and with `remember` the session's default branch for the next visit. */
  const remember = useCallback(
    (leaf: string, { save }: { save: boolean }) => {
      rememberLeafInUrl(leaf);
      if (!save || !saves) return;
      api.updateSession(sessionId, { activeLeafId: leaf }).catch(() => {
        // Only the default branch for the next visit is lost; the URL still points here.
      });
    },
    [sessionId, saves],
  );

  /**
   * Opens the branch through `target`: its latest continuation, or ending exactly there
   * with `exact`. A step of the path opens at once; anything else is outlined by the server.
   */
  const openLeaf = useCallback(
    async (target: string, { exact = false }: { exact?: boolean } = {}) => {
      const { branch } = latest.current;
      const at = branch.path.indexOf(target);
      let leaf: string | null = target;
      if (exact && at >= 0) {
        dispatch({
          type: "open",
          step: { id: target, parentId: branch.path[at - 1] ?? null, kind: branch.kinds[at] ?? "text" },
        });
      } else {
        const query = new URLSearchParams({ from: target });
        if (exact) query.set("exact", "1");
        const view = await apiFetch<{ branch: BranchOutline; steps: StepNode[] }>(
          withShare(`/api/sessions/${sessionId}/branch?${query}`, share),
        );
        dispatch({ type: "branch", branch: view.branch, steps: view.steps });
        leaf = view.branch.leafId;
      }
      if (leaf) remember(leaf, { save: !exact });
    },
    [sessionId, dispatch, remember, share],
  );

  const startRun = useCallback(
    /** `restoreView`: on failure, go back to the branch that was on screen */
    async (
      fromStepId: string,
      { restoreView = true, opened = false }: { restoreView?: boolean; opened?: boolean } = {},
    ) => {
      setNotice(null);
      const previousLeaf = latest.current.leafId;
      const moves = !opened && fromStepId !== previousLeaf;
      // Show the path up to where the run starts before asking: its first step can arrive on
      // the stream before this request returns, and the view follows steps below its leaf.
      if (moves) await openLeaf(fromStepId, { exact: true }).catch(() => {});
      setSelectedId(null);
      try {
        const { run } = await api.startRun(sessionId, { fromStepId });
        dispatch({ type: "run", run });
      } catch (error) {
        if (restoreView && moves && previousLeaf) await openLeaf(previousLeaf, { exact: true }).catch(() => {});
        setNotice({
          message: errorMessage(error, "Could not start the run."),
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
      await api.cancelRun(run.id);
      setNotice(null);
    } catch (error) {
      setNotice({ message: errorMessage(error, "Could not stop the run."), offerStop: false });
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
        const { branch } = latest.current;
        const { siblings, position } = siblingsOnPath(branch, branch.path.indexOf(stepId));
        const target = siblings[position + direction];
        if (!target) return;
        openLeaf(target).then(
          () => setSelectedId(target),
          (error: unknown) =>
            setNotice({ message: errorMessage(error, "Could not open that branch."), offerStop: false }),
        );
      },
      regenerate: (stepId) => void startRun(stepId),
      saveEdit: async (step, content, { regenerate }) => {
        const { step: created } = await api.editStep(sessionId, step.id, { content });
        // The edit is a new alternative of a path step: it opens at once as the end of the branch.
        dispatch({ type: "step", step: created, open: true });
        remember(created.id, { save: true });
        setSelectedId(created.id);
        // The edit is saved either way: a run that can't start must not hide it.
        if (regenerate) await startRun(created.id, { restoreView: false, opened: true });
      },
      stopRun: () => void stopRun(),
      decide: async (stepId, body) => {
        // the run's and step's new states also arrive on the stream, like every other viewer's
        const { run, step } = await api.decideApproval(sessionId, stepId, body);
        dispatch({ type: "step", step });
        dispatch({ type: "run", run });
        setReviewing(null);
      },
      reviewInEditor: (stepId) => {
        setSelectedId(stepId);
        setReviewing(stepId);
      },
    }),
    [openLeaf, startRun, stopRun, sessionId, dispatch, remember],
  );

  /**
   * Send to model: the comment (on `stepId`) becomes a step after that step and a run goes
   * on from it. As with a run, the path up to the step shows first, so the view follows the
   * steps that stream below it (a step mid-branch starts a new branch); on failure the
   * branch that was on screen comes back. Throws ApiError.
   */
  const sendComment = useCallback(
    async (commentId: string, stepId: string) => {
      setNotice(null);
      const previousLeaf = latest.current.leafId;
      const moves = stepId !== previousLeaf;
      if (moves) await openLeaf(stepId, { exact: true }).catch(() => {});
      try {
        const { step, run } = await api.sendComment(sessionId, commentId);
        dispatch({ type: "step", step });
        dispatch({ type: "run", run });
        setSelectedId(null);
        // the run's first steps may have streamed in before this answer: open the comment's
        // step's latest continuation (the server's outline, then the view follows what comes)
        await openLeaf(step.id).catch(() => {});
      } catch (error) {
        if (moves && previousLeaf) await openLeaf(previousLeaf, { exact: true }).catch(() => {});
        throw error;
      }
    },
    [sessionId, dispatch, openLeaf],
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
        dispatch({ type: "step", step, open: true });
        remember(step.id, { save: false });
        setSelectedId(null);
      },
      onShowEnd: () => setSelectedId(null),
    }),
    [dispatch, remember],
  );

  return {
    selectedId,
    notice,
    openLeaf,
    startRun,
    stopRun,
    runFromLeaf,
    sendComment,
    steps,
    files,
    reviewing,
    stopReviewing: useCallback(() => setReviewing(null), []),
  };
}
