import "server-only";
import { pauseForApproval } from "@/lib/db/approvals";
import { toSessionSummary } from "@/lib/db/mappers";
import { type RunTotals, recordActiveLeaf, recordRunEnd, releaseRun, settleUnsavedSteps } from "@/lib/db/runs";
import { getSessionBus } from "@/lib/realtime/bus";
import type { StepNode } from "@/lib/steps/types";
import type { RunView } from "@/lib/wire/sessions";
import { runLease } from "./run-lease";
import type { RunSteps } from "./run-steps";
import { type RunOutcome, STOPPED, stopOutcome } from "./run-stop";
import type { StepWriter } from "./step-writer";
import { yieldToStreams } from "./stream-priority";

/**
 * The settling of a run once its turn loop is over, however it ended: its open steps are
 * interrupted, every step's latest state is written (or found unsaveable), the session's
 * branch moves to the run's newest saved step, and the run's end is recorded and
 * published — the branch and the end only while this instance still holds the run (a late
 * instance whose lease lapsed and whose run was finished or resumed elsewhere changes
 * nothing). Each database write is retried with backoff (`retryWrite`), so a connection
 * blip does not leave the run `running`; if the database stays unreachable past the
 * retries, the run's lease is no longer renewed once it leaves the active runs, and the
 * next heartbeat anywhere finishes it as "the server stopped" (run-lease.ts).
 */

export interface SettleContext {
  runId: string;
  sessionId: string;
  workspaceId: string;
  steps: RunSteps;
  writer: StepWriter;
  totals: RunTotals;
  /** publishes the run's row as it now is (merged into the view viewers have) */
  publishRun: (patch: Partial<RunView>) => void;
}

/**
 * Settles the run. `handBack`: the server is stopping and another instance takes the run
 * over (run-resume.ts): its end is not recorded; its lease is released instead, so the
 * next heartbeat anywhere finishes it as stopped by its server and resumes it. `pauseAt`:
 * the run waits for a reviewer's decision on that tool call (the plan gate): it is not
 * ended but paused — no process holds it until someone decides (lib/review/approvals.ts).
 */
export async function settleRun(
  context: SettleContext,
  ended: RunOutcome,
  { handBack = false, pauseAt }: { handBack?: boolean; pauseAt?: string } = {},
): Promise<void> {
  const { runId, sessionId, workspaceId, steps, writer, totals, publishRun } = context;
  const bus = getSessionBus();
  await yieldToStreams();
  steps.interruptOpen();
  const unsaved = await writer.drain();
  // one flush ends the drain of every run finishing now: take turns again
  await yieldToStreams();
  let outcome = ended;
  if (unsaved.length > 0) {
    outcome = stopOutcome({ kind: "unsaved_steps" });
    await settleUnsaved(context, unsaved);
  }
  const at = new Date();
  const { ownerId } = runLease();
  const session = await retryWrite(runId, "record the branch's end", () =>
    recordActiveLeaf({ sessionId, leafId: steps.newest, at, runId, ownerId }),
  );
  if (session) bus.publish(sessionId, { type: "session.updated", session: toSessionSummary(session) });
  if (pauseAt && unsaved.length === 0) {
    const leafId = steps.newest;
    const paused = await retryWrite(runId, "pause for a reviewer", () =>
      pauseForApproval({ runId, sessionId, workspaceId, stepId: pauseAt, leafId, totals, ownerId }),
    );
    if (paused?.step) bus.publish(sessionId, { type: "step.updated", step: paused.step });
    if (paused?.run) return publishRun(paused.run);
    if (paused)
      outcome = stopOutcome(STOPPED); // asked to stop on its way to the pause (or gone, or not ours): it ends stopped
    else console.error(`[run ${runId}] could not pause for a reviewer at step ${pauseAt}; ending the run instead`);
  }
  if (handBack && unsaved.length === 0) {
    // (not held any more: someone's Stop or a heartbeat finished it meanwhile, nothing to hand back)
    const released = await retryWrite(runId, "hand the run back", () => releaseRun(runId, ownerId));
    if (released !== undefined) return;
  }
  const end = { ...outcome, finishedAt: at, ...totals };
  const recorded = await retryWrite(runId, "record how the run ended", () => recordRunEnd(runId, end, ownerId));
  if (recorded === undefined) return; // still unreachable: the lease finishes it (see above)
  if (!recorded) {
    // Its row is gone with its session, or the run is not ours any more: another instance
    // finished it when our lease lapsed (and may be running its resumption), or Stop did.
    // What viewers were told of it then stands.
    console.warn(`[run ${runId}] its end was not recorded: the run was taken over or deleted meanwhile`);
    return;
  }
  publishRun({ ...end, finishedAt: end.finishedAt.toISOString() });
}

/**
 * After steps could not be saved: the database marks the rows that exist as failed, and
 * viewers are told what it holds (those rows as `error`; the steps without a row removed),
 * so memory and database agree. The branch's end backs off to the newest step the
 * database has. If even that can't be learnt, every unsaved step is treated as missing.
 */
async function settleUnsaved({ runId, sessionId, steps }: SettleContext, unsaved: StepNode[]): Promise<void> {
  const bus = getSessionBus();
  const rows =
    (await retryWrite(runId, "mark the unsaved steps", () =>
      settleUnsavedSteps(
        unsaved.map((step) => step.id),
        new Date(),
      ),
    )) ?? [];
  const stored = new Map(rows.map((step) => [step.id, step]));
  const missing = new Map<string, StepNode>();
  for (const step of unsaved) {
    const row = stored.get(step.id);
    if (row) bus.publish(sessionId, { type: "step.updated", step: row });
    else missing.set(step.id, step);
  }
  // children after parents: remove the deepest first, so no viewer is left with an orphan
  for (const step of [...missing.values()].reverse()) bus.publish(sessionId, { type: "step.removed", stepId: step.id });
  steps.backOffTo(missing);
}

/** How often, and how patiently, a settling write is tried: 5 tries over about 6 s. */
export const SETTLE_RETRY = { attempts: 5, firstDelayMs: 400 };

/**
 * Runs a write of the run's settling, retrying it with exponential backoff when it throws.
 * Each failure is logged as an internal database error. Answers the write's result, or
 * undefined once every try failed (so a write's own result should never be undefined).
 */
export async function retryWrite<T>(
  runId: string,
  what: string,
  write: () => Promise<T>,
  { attempts, firstDelayMs } = SETTLE_RETRY,
): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const last = attempt >= attempts;
      const next = last ? "giving up; its lease will lapse" : `retrying in ${firstDelayMs * 2 ** (attempt - 1)} ms`;
      console.error(`[run ${runId}] internal:database: could not ${what} (try ${attempt}/${attempts}, ${next})`, error);
      if (last) return undefined;
      await new Promise((resolve) => setTimeout(resolve, firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}
