import "server-only";
import { randomUUID } from "node:crypto";
import {
  findRunInWorkspace,
  finishOrphanedRuns,
  getRun,
  insertRun,
  readRunStart,
  recordRunProgress,
  requestRunStop,
  STOPPED_ORPHAN,
  startingRun,
  stepRowQueue,
} from "@/lib/db/runs";
import { AppError } from "@/lib/http/errors";
import { metrics } from "@/lib/metrics";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "@/lib/realtime/bus";
import { readSettings } from "@/lib/sessions/schema";
import { ACTIVE_RUN_STATUSES } from "@/lib/steps/types";
import type { RunView } from "@/lib/wire/sessions";
import { acceptingRuns, activeRuns } from "./active-runs";
import { finishOrphansOf, instanceId, publishFinished, runLease, startLeaseKeeper } from "./run-lease";
import { settleRun } from "./run-settle";
import { RunSteps } from "./run-steps";
import { isRunStop, type RunOutcome, type RunStop, runOutcome, STOPPED } from "./run-stop";
import { StepWriter } from "./step-writer";
import { yieldToStreams } from "./stream-priority";
import { emptyTotals, runTurns } from "./turn-loop";

/**
 * A run: one generation continuing a branch. `startRun` records it and returns at once;
 * the run goes on detached from the HTTP request — its turn loop (turn-loop.ts), then its
 * settling (run-settle.ts) — and anyone can follow it through the session's event stream.
 */

const runState = processState();
runState.startingSessions ??= new Set();
const startingSessions = runState.startingSessions;

export async function startRun({
  sessionId,
  workspaceId,
  fromStepId,
  userId = null,
}: {
  sessionId: string;
  workspaceId: string;
  fromStepId?: string;
  /** who starts it (recorded on the run; issue 8 "who did what"); null: no person (a suite run's own start) */
  userId?: string | null;
}): Promise<RunView> {
  await yieldToStreams(); // a burst of starts is bulk work too
  if (!acceptingRuns()) throw new AppError("unavailable:shutdown", "The server is restarting. Try again in a moment.");
  if (startingSessions.has(sessionId)) throw runningConflict();
  startingSessions.add(sessionId);
  try {
    startLeaseKeeper();
    listenForStops();
    await finishOrphansOf(sessionId);
    const start = await readRunStart({ sessionId, workspaceId, fromStepId: fromStepId ?? null });
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
    const view = startingRun(
      { id: randomUUID(), sessionId, fromStepId: from.id, modelId: session.modelId },
      new Date(),
    );
    await insertRun(view, runLease(), userId);
    getSessionBus().publish(sessionId, { type: "run.updated", run: view });
    metrics.runsStarted += 1;
    const controller = new AbortController();
    const settings = readSettings(session.settings);
    const done = executeRun({
      run: view,
      sessionId,
      workspaceId,
      fromStepId: from.id,
      modelId: session.modelId,
      maxTurns: settings.maxTurns,
      controller,
    });
    activeRuns.set(view.id, { sessionId, controller, done, resumable: settings.resumeInterrupted === true });
    void done.finally(() => {
      activeRuns.delete(view.id);
      metrics.runsFinished += 1;
    });
    return view;
  } finally {
    startingSessions.delete(sessionId);
  }
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
  return getRun({ runId, workspaceId });
}

/** Stops asked for on another instance (through the bus) reach this instance's runs at once. */
function listenForStops(): void {
  if (runState.listeningForStops) return;
  runState.listeningForStops = true;
  getSessionBus().onStopRequest((runId) => activeRuns.get(runId)?.controller.abort(STOPPED));
}

/** Wait for a run's loop to finish (the tests use it to await a detached run). */
export async function waitForRun(runId: string): Promise<void> {
  await activeRuns.get(runId)?.done;
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
  controller,
}: {
  run: RunView;
  sessionId: string;
  workspaceId: string;
  fromStepId: string;
  modelId: string;
  maxTurns: number;
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
  const totals = emptyTotals();
  let outcome: RunOutcome;
  try {
    const stop = await runTurns({
      sessionId,
      workspaceId,
      modelId,
      maxTurns,
      steps,
      totals,
      signal,
      afterTurn: async () => {
        const stop = await recordRunProgress(runId, totals);
        publishRun({ ...totals });
        return stop;
      },
    });
    outcome = runOutcome({ stop }, signal);
  } catch (error) {
    outcome = runOutcome({ error }, signal);
  }
  const handBack = signal.aborted && isRunStop(signal.reason) && signal.reason.kind === "handed_back";
  await settleRun({ runId, sessionId, steps, writer, totals, publishRun }, outcome, { handBack });
}
