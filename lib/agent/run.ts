import "server-only";
import { randomUUID } from "node:crypto";
import { type Author, NO_AUTHOR } from "@/lib/auth/authors";
import { cancelPausedRun } from "@/lib/db/approvals";
import {
  cancelQueuedRun,
  claimQueuedRun,
  findResumeOf,
  findRunInWorkspace,
  finishOrphanedRuns,
  getRun,
  insertRun,
  type RunTotals,
  readRunStart,
  readRunStatus,
  recordRunEnd,
  recordRunProgress,
  requestRunStop,
  STOPPED_ORPHAN,
  startingRun,
  stepRowQueue,
  unclaimRun,
} from "@/lib/db/runs";
import { AppError } from "@/lib/http/errors";
import { metrics } from "@/lib/metrics";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "@/lib/realtime/bus";
import { readSettings } from "@/lib/sessions/schema";
import { ACTIVE_RUN_STATUSES } from "@/lib/steps/types";
import type { RunView, SessionSettings } from "@/lib/wire/sessions";
import { acceptingRuns, activeRuns, serverStopping } from "./active-runs";
import { finishOrphansOf, instanceId, publishFinished, runLease, startLeaseKeeper } from "./run-lease";
import { dispatchRun, runQueueEnabled, startRunQueue } from "./run-queue";
import { settleRun } from "./run-settle";
import { RunSteps } from "./run-steps";
import { isRunStop, type RunOutcome, type RunStop, runOutcome, STOPPED } from "./run-stop";
import { StepWriter } from "./step-writer";
import { yieldToStreams } from "./stream-priority";
import { emptyTotals, type RunGate, runTurns } from "./turn-loop";

/**
 * A run: one generation continuing a branch. `startRun` records it and returns at once;
 * the run goes on detached from the HTTP request — its turn loop (turn-loop.ts), then its
 * settling (run-settle.ts) — and anyone can follow it through the session's event stream.
 * On PostgreSQL it goes through the durable queue (run-queue.ts) and whichever instance
 * claims it executes it; on the embedded database it executes in this process.
 */

const runState = processState();
runState.startingSessions ??= new Set();
const startingSessions = runState.startingSessions;

/**
 * Starts a run of the workspace's session from `fromStepId` (default: the branch on
 * screen) and answers it as it starts (`running`, or `queued` on PostgreSQL). Throws
 * AppError: `not_found:session` / `not_found:step` (not here, or not part of the session),
 * `conflict:step` (that step still streams), `conflict:run` (a run of the session is going
 * or starting, or `resumesRunId` is resumed already: `details.resumedByRunId` names the run
 * that did; run-resume.ts `resumeRun` answers that run instead), `unavailable:shutdown`
 * (this server is stopping), `unavailable:queue` (its job could not be sent).
 */
export async function startRun({
  sessionId,
  workspaceId,
  fromStepId,
  author = NO_AUTHOR,
  resumesRunId = null,
}: {
  sessionId: string;
  workspaceId: string;
  fromStepId?: string;
  /** who starts it (recorded on the run, named on it; issue 8 "who did what"); NO_AUTHOR: no person (a suite run's own start, a resume) */
  author?: Author;
  /** the run of this session that this one continues in its place, after its server stopped (run-resume.ts, a suite's task) */
  resumesRunId?: string | null;
}): Promise<RunView> {
  await yieldToStreams(); // a burst of starts is bulk work too
  if (!acceptingRuns()) throw serverStopping();
  if (startingSessions.has(sessionId)) throw runningConflict();
  startingSessions.add(sessionId);
  try {
    await startRunWorker();
    const read = () => readRunStart({ sessionId, workspaceId, fromStepId: fromStepId ?? null, author });
    let start = await read();
    // a run that looks active may be an orphan (its instance died): finish those, then look again
    if (start?.busy) {
      await finishOrphansOf(sessionId);
      start = await read();
    }
    if (!start) throw new AppError("not_found:session", "This session doesn't exist, or it was deleted.");
    const { session, from } = start;
    if (!from) throw new AppError("not_found:step", "That step is not part of this session.");
    if (from.status === "streaming") {
      throw new AppError(
        "conflict:step",
        "That step is still streaming. Wait for it to finish, or stop the run first.",
      );
    }
    if (start.busy) throw runningConflict();
    const queued = runQueueEnabled();
    const started = startingRun(
      { id: randomUUID(), sessionId, fromStepId: from.id, modelId: session.modelId, resumesRunId },
      new Date(),
      queued ? "queued" : "running",
    );
    const view: RunView = start.authorName ? { ...started, startedByName: start.authorName } : started;
    await insertRun(view, queued ? null : runLease(), author).catch(async (error: unknown) => {
      // the unique resumesRunId: another start (another instance's heartbeat, a suite's task) resumed it first
      if (resumesRunId === null || (error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      throw await resumedAlready(resumesRunId, workspaceId);
    });
    getSessionBus().publish(sessionId, { type: "run.updated", run: view });
    metrics.runsStarted += 1;
    if (queued) return await dispatchOrFail(view, workspaceId, emptyTotals());
    executeHere(view, { workspaceId, fromStepId: from.id, settings: readSettings(session.settings) });
    return view;
  } finally {
    startingSessions.delete(sessionId);
  }
}

/**
 * Starts what every instance runs in the background for runs, once: the lease heartbeat,
 * the listener for Stop requests from other instances and, on PostgreSQL, this instance's
 * worker on the run queue. The server calls it at start (instrumentation.ts), so an
 * instance takes queued runs before any request reaches it; `startRun` calls it too.
 */
export async function startRunWorker(): Promise<void> {
  startLeaseKeeper();
  listenForStops();
  if (runQueueEnabled()) await startRunQueue(claimRun);
}

/**
 * The queue handed this instance a run: claim it (one instance wins) and execute it here.
 * A stopping server takes nothing — a run it claimed as it began stopping goes back to the
 * queue unstarted — and throws, so the job fails and pg-boss hands it to another instance
 * a second later.
 */
async function claimRun(runId: string): Promise<boolean> {
  if (!acceptingRuns()) throw new Error("this server is stopping");
  const claimed = await claimQueuedRun(runId, runLease());
  if (!claimed) return false; // claimed elsewhere, stopped while queued, or deleted with its session
  if (!acceptingRuns()) {
    // stopAllRuns has listed the runs to stop already: this one would be left behind
    await unclaimRun(runId, runLease().ownerId);
    throw new Error("this server is stopping");
  }
  const { run } = claimed;
  getSessionBus().publish(run.sessionId, { type: "run.updated", run });
  if (!run.fromStepId) throw new Error(`run ${run.id} has no step to continue from`);
  executeHere(run, {
    workspaceId: claimed.workspaceId,
    fromStepId: run.fromStepId,
    settings: readSettings(claimed.settings),
  });
  return true;
}

/**
 * Sends a queued run's job and answers the run as it starts. When the job can't be written
 * and nobody claimed the run, it ends failed (no run stays queued with no job), viewers are
 * told so and the caller gets a 503 `unavailable:queue` — but only if that end was recorded:
 * a Stop that landed meanwhile (the row says cancelled), a claim that got it after all (a job
 * written despite the error) or its session's deletion stands, nothing is published over it,
 * and the run is answered as its row has it (or as it started, when the row is gone).
 */
async function dispatchOrFail(run: RunView, workspaceId: string, totals: RunTotals): Promise<RunView> {
  try {
    await dispatchRun(run.id, claimRun);
    return run;
  } catch (error) {
    console.error(`[run ${run.id}] could not be queued`, error);
    const end = {
      ...totals,
      status: "failed",
      errorCode: "unavailable:queue",
      errorMessage: "The run could not be queued. Try again in a moment.",
      finishedAt: new Date(),
    } as const;
    if (!(await recordRunEnd(run.id, end, null))) {
      console.warn(`[run ${run.id}] not marked failed: it was stopped, claimed or deleted meanwhile`);
      return getRun({ runId: run.id, workspaceId }).catch(() => run);
    }
    getSessionBus().publish(run.sessionId, {
      type: "run.updated",
      run: { ...run, ...end, finishedAt: end.finishedAt.toISOString() },
    });
    throw new AppError(end.errorCode, end.errorMessage);
  }
}

/** Executes a run in this process, detached; it is one of this instance's active runs until it settles. */
function executeHere(
  run: RunView,
  {
    workspaceId,
    fromStepId,
    settings,
    continued = false,
  }: {
    workspaceId: string;
    fromStepId: string;
    settings: SessionSettings;
    /** the run paused for a reviewer and continues after their decision (its row carries its totals so far) */
    continued?: boolean;
  },
): void {
  const controller = new AbortController();
  const ask = settings.askBeforeApplying === true;
  const done = executeRun({
    run,
    sessionId: run.sessionId,
    workspaceId,
    fromStepId,
    modelId: run.modelId,
    maxTurns: settings.maxTurns,
    gate: { ask, decided: ask || continued },
    controller,
  });
  activeRuns.set(run.id, {
    sessionId: run.sessionId,
    controller,
    done,
    resumable: settings.resumeInterrupted === true,
  });
  void done.finally(() => {
    // (a paused run continued here since is a new entry under the same id: not ours to remove)
    if (activeRuns.get(run.id)?.done === done) activeRuns.delete(run.id);
    metrics.runsFinished += 1;
  });
}

/**
 * A paused run goes on after a reviewer's decision (lib/review/approvals.ts), on whichever
 * instance took the decision, in this process (the decision leased it to this instance):
 * `run` is its row as the decision left it, `fromStepId` the branch's end where it paused.
 * Its pending calls run as decided, then the turn loop goes on as usual.
 */
export function continueRun({
  run,
  workspaceId,
  fromStepId,
  settings,
}: {
  run: RunView;
  workspaceId: string;
  fromStepId: string;
  settings: SessionSettings;
}): void {
  startLeaseKeeper();
  listenForStops();
  executeHere(run, { workspaceId, fromStepId, settings, continued: true });
}

/** How Stop ends a run that was waiting for a reviewer. */
const PAUSED_RUN_STOPPED = {
  errorCode: "cancelled:run",
  errorMessage: "Stopped while it waited for a reviewer. The change was not applied; a new run asks again.",
};

/** PostgreSQL's (and PGlite's) error code for a row a unique index refuses. */
const UNIQUE_VIOLATION = "23505";

/** `conflict:run` for a start that would resume run `runId` a second time, naming the run that resumed it. */
async function resumedAlready(runId: string, workspaceId: string): Promise<AppError> {
  const resumed = await findResumeOf({ runId, workspaceId });
  return new AppError(
    "conflict:run",
    "That run was resumed already: follow the run that continues it.",
    resumed ? { resumedByRunId: resumed.id } : undefined,
  );
}

function runningConflict() {
  return new AppError(
    "conflict:run",
    "A run is already going on this session. Stop it first, or wait for it to finish.",
  );
}

/**
 * Stop: the run's own instance aborts it at once; a run whose server died is finished at
 * once here; a run another live instance executes is marked, and stops with that
 * instance's next heartbeat (or turn).
 */
export async function cancelRun({ runId, workspaceId }: { runId: string; workspaceId: string }): Promise<RunView> {
  const found = await findRunInWorkspace({ runId, workspaceId });
  if (!found) throw new AppError("not_found:run", "This run doesn't exist.");
  if (!ACTIVE_RUN_STATUSES.includes(found.run.status)) return found.run;
  if (found.run.status === "awaiting_approval") {
    const cancelled = await cancelPaused(runId, workspaceId);
    if (cancelled) return cancelled;
    // a decision won: the run goes on, so it is stopped as a running one
  }
  if (found.run.status === "queued") {
    const cancelled = await cancelQueuedRun({ runId, workspaceId });
    if (cancelled) {
      getSessionBus().publish(cancelled.sessionId, { type: "run.updated", run: cancelled });
      return cancelled;
    }
    // claimed meanwhile: stop it as a running one
  }
  await requestRunStop({ runId, workspaceId });
  const active = activeRuns.get(runId);
  if (active) {
    active.controller.abort(STOPPED);
    await active.done;
  } else {
    // Nobody executes it any more (its server died, or it is ours and no longer going):
    // finish it now. A live instance's run stops with that instance's next heartbeat.
    const finished = await finishOrphanedRuns(STOPPED_ORPHAN, {
      runId,
      anyLease: found.ownerId === instanceId(),
    });
    publishFinished(finished);
    // Executed by another live instance: with Redis it hears this at once (else at its heartbeat).
    if (finished.runs.length === 0) getSessionBus().requestStop(runId);
  }
  const run = await getRun({ runId, workspaceId });
  // it reached a file write and paused before the stop reached it: the pause is stopped too
  if (run.status === "awaiting_approval")
    return (await cancelPaused(runId, workspaceId)) ?? getRun({ runId, workspaceId });
  return run;
}

/**
 * Stop on a run paused for a reviewer. A paused run holds no process: stopping it is one
 * conditional statement, and a decision may win instead (null: the run is not paused now).
 */
async function cancelPaused(runId: string, workspaceId: string): Promise<RunView | null> {
  const { run, step } = await cancelPausedRun({ runId, workspaceId, message: PAUSED_RUN_STOPPED });
  if (step) getSessionBus().publish(step.sessionId, { type: "step.updated", step });
  if (run) getSessionBus().publish(run.sessionId, { type: "run.updated", run });
  return run;
}

/** Stops asked for on another instance (through the bus) reach this instance's runs at once. */
function listenForStops(): void {
  if (runState.listeningForStops) return;
  runState.listeningForStops = true;
  getSessionBus().onStopRequest((runId) => activeRuns.get(runId)?.controller.abort(STOPPED));
}

/** How often `waitForRun` looks at a run executing elsewhere (or still queued), in milliseconds. */
const WAIT_POLL_MS = 50;

/**
 * Waits until a run is neither queued nor running: settled, or paused for an approval.
 * A run this process executes is awaited directly; one queued or executing on another
 * instance is polled. The suite runner and the tests await detached runs with it.
 */
export async function waitForRun(runId: string): Promise<void> {
  for (;;) {
    const active = activeRuns.get(runId);
    if (active) {
      await active.done;
      return;
    }
    const status = await readRunStatus(runId);
    if (status !== "queued" && status !== "running") return;
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}

/** Stop every run of a session that this process is executing, and wait for them (before deleting it). */
export async function stopSessionRuns(sessionId: string): Promise<void> {
  const stopping = [...activeRuns.values()].filter((run) => run.sessionId === sessionId);
  for (const run of stopping) run.controller.abort(STOPPED);
  await Promise.all(stopping.map((run) => run.done));
}

async function executeRun({
  run: started,
  sessionId,
  workspaceId,
  fromStepId,
  modelId,
  maxTurns,
  gate,
  controller,
}: {
  run: RunView;
  sessionId: string;
  workspaceId: string;
  fromStepId: string;
  modelId: string;
  maxTurns: number;
  gate: RunGate;
  controller: AbortController;
}): Promise<void> {
  const bus = getSessionBus();
  const runId = started.id;
  const signal = controller.signal;
  // a step that can't be saved stops the run at once: nothing more streams that the database won't have
  const writer = new StepWriter({
    sessionId,
    runId,
    stepRows: await stepRowQueue(),
    bus,
    onFailure: (error) => {
      console.error(`[run ${runId}] a step write failed`, error);
      controller.abort({ kind: "unsaved_steps" } satisfies RunStop);
    },
  });
  // The run's row as viewers know it: each change is written, then published from here.
  let run = started;
  const publishRun = (patch: Partial<RunView>) => {
    run = { ...run, ...patch };
    bus.publish(sessionId, { type: "run.updated", run });
  };
  const steps = new RunSteps(writer, fromStepId);
  // a run continued after a reviewer's decision adds to what it used before it paused
  const totals: RunTotals = {
    inputTokens: started.inputTokens,
    outputTokens: started.outputTokens,
    reasoningTokens: started.reasoningTokens,
    reasoningEstimated: started.reasoningEstimated,
    costUsd: started.costUsd,
  };
  let outcome: RunOutcome;
  let pauseAt: string | undefined;
  try {
    const stop = await runTurns({
      sessionId,
      workspaceId,
      modelId,
      maxTurns,
      steps,
      totals,
      signal,
      gate,
      afterTurn: async () => {
        const stop = await recordRunProgress(runId, totals, runLease().ownerId);
        publishRun({ ...totals });
        return stop;
      },
    });
    if (stop?.kind === "awaiting_approval") pauseAt = stop.stepId;
    outcome = runOutcome({ stop: stop?.kind === "awaiting_approval" ? null : stop }, signal);
  } catch (error) {
    outcome = runOutcome({ error }, signal);
  }
  const handBack = signal.aborted && isRunStop(signal.reason) && signal.reason.kind === "handed_back";
  await settleRun({ runId, sessionId, workspaceId, steps, writer, totals, publishRun }, outcome, {
    handBack,
    pauseAt,
  });
}
