"use client";

import { type Dispatch, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { BranchOutline } from "@/lib/steps/branch-outline";
import type { StepNode } from "@/lib/steps/types";
import type { RunView } from "@/lib/wire/sessions";
import type { StepActions } from "../timeline/step-actions";
import type { RunNotice } from "./run-composer";
import { useSessionAccess } from "./session-access";
import type { ActionContext } from "./session-actions";
import type { ViewAction } from "./session-store";

type Actions = typeof import("./session-actions");

let actionsCode: Promise<Actions> | undefined;
/**
 * The actions' code (./session-actions.ts), not in the page's first JavaScript: fetched
 * once, when the view mounts (so it is here before a person acts), and again at the next
 * action when that failed.
 */
function loadActions(): Promise<Actions> {
  actionsCode ??= import("./session-actions").catch((error: unknown) => {
    actionsCode = undefined;
    throw error;
  });
  return actionsCode;
}

/** The run notice for an action whose code could not be fetched (no connection). */
const failed = (message: string): RunNotice => ({ message, offerStop: false });

/**
 * What a person can do to the session on screen: open a branch, start and stop runs, act
 * on a step, and take in what the editor recorded. Holds the selected step and the run
 * notice. Every callback reads the latest state through a ref, so they keep one identity
 * across renders and a streaming delta hands no row a new prop. The callbacks that talk
 * to the server are in ./session-actions.ts, loaded after the page's first JavaScript.
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
    // A failure here is fetched again at the first action, which says so.
    loadActions().catch(() => {});
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
  const context = useMemo<ActionContext>(
    () => ({
      sessionId,
      share,
      saves,
      dispatch,
      latest: () => latest.current,
      setSelectedId,
      setReviewing,
      setNotice,
    }),
    [sessionId, share, saves, dispatch],
  );

  /** Opens the branch through `target`: its latest continuation, or ending exactly there with `exact`. */
  const openLeaf = useCallback(
    async (target: string, options?: { exact?: boolean }) => (await loadActions()).openLeaf(context, target, options),
    [context],
  );

  /** `restoreView`: on failure, go back to the branch that was on screen */
  const startRun = useCallback(
    (fromStepId: string, options?: { restoreView?: boolean; opened?: boolean }) =>
      loadActions().then(
        (actions) => actions.startRun(context, fromStepId, options),
        () => setNotice(failed("Could not start the run.")),
      ),
    [context],
  );

  const stopRun = useCallback(
    () =>
      loadActions().then(
        (actions) => actions.stopRun(context),
        () => setNotice(failed("Could not stop the run.")),
      ),
    [context],
  );

  /** Runs from the end of the branch on screen, unless a run is going. */
  const runFromLeaf = useCallback(() => {
    if (latest.current.leafId && !latest.current.activeRun) void startRun(latest.current.leafId);
  }, [startRun]);

  const steps = useMemo<StepActions>(
    () => ({
      select: (stepId) => setSelectedId(stepId),
      switchSibling: (stepId, direction) =>
        void loadActions().then(
          (actions) => actions.switchSibling(context, stepId, direction),
          () => setNotice(failed("Could not open that branch.")),
        ),
      regenerate: (stepId) => void startRun(stepId),
      saveEdit: async (step, content, options) => (await loadActions()).saveEdit(context, step, content, options),
      stopRun: () => void stopRun(),
      decide: async (stepId, body) => (await loadActions()).decide(context, stepId, body),
      reviewInEditor: (stepId) => {
        setSelectedId(stepId);
        setReviewing(stepId);
      },
    }),
    [context, startRun, stopRun],
  );

  /**
   * Send to model: the comment (on `stepId`) becomes a step after that step and a run goes
   * on from it (./session-actions.ts sendComment). Throws ApiError.
   */
  const sendComment = useCallback(
    async (commentId: string, stepId: string) => (await loadActions()).sendComment(context, commentId, stepId),
    [context],
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
        // only the address bar waits for the code; a failure leaves it at the branch it was
        loadActions().then(
          (actions) => actions.remember(context, step.id, { save: false }),
          () => {},
        );
        setSelectedId(null);
      },
      onShowEnd: () => setSelectedId(null),
    }),
    [dispatch, context],
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
