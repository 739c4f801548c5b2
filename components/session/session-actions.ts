import type { Dispatch } from "react";
import { type BranchOutline, siblingsOnPath } from "@/lib/steps/branch-outline";
import type { StepNode } from "@/lib/steps/types";
import { api } from "@/lib/wire/api";
import type { DecideApprovalBody } from "@/lib/wire/approvals";
import { ApiError, apiFetch, errorMessage, withShare } from "@/lib/wire/client";
import type { RunView } from "@/lib/wire/sessions";
import type { RunNotice } from "./run-composer";
import type { ViewAction } from "./session-store";

/**
 * What the session's actions act on, from `useSessionActions` (./use-session-actions.ts):
 * the session, the view's dispatch and state setters, and `latest()`, the branch on screen
 * and the active run as they are when an action runs (not when it was created).
 */
export interface ActionContext {
  sessionId: string;
  /** a share link's token, for its visitor's requests; null for a member */
  share: string | null;
  /** whether the person may set the session's default branch (`sessions:write`) */
  saves: boolean;
  dispatch: Dispatch<ViewAction>;
  latest(): { branch: BranchOutline; leafId: string | null; activeRun: RunView | null };
  setSelectedId(stepId: string | null): void;
  setReviewing(stepId: string | null): void;
  setNotice(notice: RunNotice | null): void;
}

/** Shows `leafId` in the address bar without a navigation (no server round trip). */
function rememberLeafInUrl(leafId: string) {
  const url = new URL(window.location.href);
  url.searchParams.set("leaf", leafId);
  window.history.replaceState(window.history.state, "", url);
}

/** The address bar, and with `save` the session's default branch for the next visit. */
export function remember(context: ActionContext, leaf: string, { save }: { save: boolean }) {
  rememberLeafInUrl(leaf);
  if (!save || !context.saves) return;
  api.updateSession(context.sessionId, { activeLeafId: leaf }).catch(() => {
    // Only the default branch for the next visit is lost; the URL still points here.
  });
}

/**
 * Opens the branch through `target`: its latest continuation, or ending exactly there
 * with `exact`. A step of the path opens at once; anything else is outlined by the server.
 * Throws ApiError.
 */
export async function openLeaf(context: ActionContext, target: string, { exact = false }: { exact?: boolean } = {}) {
  const { branch } = context.latest();
  const at = branch.path.indexOf(target);
  let leaf: string | null = target;
  if (exact && at >= 0) {
    context.dispatch({
      type: "open",
      step: { id: target, parentId: branch.path[at - 1] ?? null, kind: branch.kinds[at] ?? "text" },
    });
  } else {
    const query = new URLSearchParams({ from: target });
    if (exact) query.set("exact", "1");
    const view = await apiFetch<{ branch: BranchOutline; steps: StepNode[] }>(
      withShare(`/api/sessions/${context.sessionId}/branch?${query}`, context.share),
    );
    context.dispatch({ type: "branch", branch: view.branch, steps: view.steps });
    leaf = view.branch.leafId;
  }
  if (leaf) remember(context, leaf, { save: !exact });
}

/**
 * Starts a run from `fromStepId`, its path on screen first; a failure is the run notice.
 * `restoreView`: on failure, go back to the branch that was on screen; `opened`: the
 * step's branch is on screen already.
 */
export async function startRun(
  context: ActionContext,
  fromStepId: string,
  { restoreView = true, opened = false }: { restoreView?: boolean; opened?: boolean } = {},
) {
  context.setNotice(null);
  const previousLeaf = context.latest().leafId;
  const moves = !opened && fromStepId !== previousLeaf;
  // Show the path up to where the run starts before asking: its first step can arrive on
  // the stream before this request returns, and the view follows steps below its leaf.
  if (moves) await openLeaf(context, fromStepId, { exact: true }).catch(() => {});
  context.setSelectedId(null);
  try {
    const { run } = await api.startRun(context.sessionId, { fromStepId });
    context.dispatch({ type: "run", run });
  } catch (error) {
    if (restoreView && moves && previousLeaf) {
      await openLeaf(context, previousLeaf, { exact: true }).catch(() => {});
    }
    context.setNotice({
      message: errorMessage(error, "Could not start the run."),
      offerStop: error instanceof ApiError && error.status === 409,
    });
  }
}

/** Stops the active run, if any; a failure is the run notice. */
export async function stopRun(context: ActionContext) {
  const run = context.latest().activeRun;
  if (!run) return;
  try {
    // The run's new status arrives on the stream, like every other viewer's.
    await api.cancelRun(run.id);
    context.setNotice(null);
  } catch (error) {
    context.setNotice({ message: errorMessage(error, "Could not stop the run."), offerStop: false });
  }
}

/** Opens the sibling of a path step one to the left (-1) or right (1), and selects it. */
export function switchSibling(context: ActionContext, stepId: string, direction: -1 | 1) {
  const { branch } = context.latest();
  const { siblings, position } = siblingsOnPath(branch, branch.path.indexOf(stepId));
  const target = siblings[position + direction];
  if (!target) return;
  openLeaf(context, target).then(
    () => context.setSelectedId(target),
    (error: unknown) =>
      context.setNotice({ message: errorMessage(error, "Could not open that branch."), offerStop: false }),
  );
}

/** Saves an edit of `step` as a new alternative, opens it, and with `regenerate` runs from it. Throws ApiError. */
export async function saveEdit(
  context: ActionContext,
  step: StepNode,
  content: string,
  { regenerate }: { regenerate: boolean },
) {
  const { step: created } = await api.editStep(context.sessionId, step.id, { content });
  // The edit is a new alternative of a path step: it opens at once as the end of the branch.
  context.dispatch({ type: "step", step: created, open: true });
  remember(context, created.id, { save: true });
  context.setSelectedId(created.id);
  // The edit is saved either way: a run that can't start must not hide it.
  if (regenerate) await startRun(context, created.id, { restoreView: false, opened: true });
}

/** The plan gate's decision on a paused file write. Throws ApiError. */
export async function decide(context: ActionContext, stepId: string, body: DecideApprovalBody) {
  // the run's and step's new states also arrive on the stream, like every other viewer's
  const { run, step } = await api.decideApproval(context.sessionId, stepId, body);
  context.dispatch({ type: "step", step });
  context.dispatch({ type: "run", run });
  context.setReviewing(null);
}

/**
 * Send to model: the comment (on `stepId`) becomes a step after that step and a run goes
 * on from it. As with a run, the path up to the step shows first, so the view follows the
 * steps that stream below it (a step mid-branch starts a new branch); on failure the
 * branch that was on screen comes back. Throws ApiError.
 */
export async function sendComment(context: ActionContext, commentId: string, stepId: string) {
  context.setNotice(null);
  const previousLeaf = context.latest().leafId;
  const moves = stepId !== previousLeaf;
  if (moves) await openLeaf(context, stepId, { exact: true }).catch(() => {});
  try {
    const { step, run } = await api.sendComment(context.sessionId, commentId);
    context.dispatch({ type: "step", step });
    context.dispatch({ type: "run", run });
    context.setSelectedId(null);
    // the run's first steps may have streamed in before this answer: open the comment's
    // step's latest continuation (the server's outline, then the view follows what comes)
    await openLeaf(context, step.id).catch(() => {});
  } catch (error) {
    if (moves && previousLeaf) await openLeaf(context, previousLeaf, { exact: true }).catch(() => {});
    throw error;
  }
}
