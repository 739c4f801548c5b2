import "server-only";
import { randomUUID } from "node:crypto";
import { toSessionSummary } from "@/lib/db/mappers";
import { type FinishedOrphans, finishOrphanedRuns, type RunLease, renewLeases, SERVER_STOPPED } from "@/lib/db/runs";
import { env } from "@/lib/env";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "@/lib/realtime/bus";
import { acceptingRuns, activeRuns } from "./active-runs";
import { requeueStaleRuns } from "./run-queue";
import { STOPPED } from "./run-stop";

/**
 * Runs outlive nothing: each run row names the instance executing it (`ownerId`) and a
 * lease (`leaseExpiresAt`) that the instance renews every third of RUN_LEASE_MS, with one
 * statement for all of its runs. When an instance dies without recording how its runs
 * ended (kill -9, a crash, a lost machine), their leases run out, and the next instance
 * that looks finishes them as "the server stopped" (steps kept, streaming steps
 * interrupted; Retry resumes, or the heartbeat does when the session allows it, see
 * run-resume.ts): at its start, on every heartbeat, and whenever a request touches the
 * session (a new run, Retry, an edit, Stop). State is on globalThis: the route
 * bundles and the instrumentation hook each load their own copy of this module.
 */

/** This process's id as a run owner: new on every start, so a restarted server never mistakes a dead run for its own. */
export function instanceId(): string {
  const state = processState();
  state.instanceId ??= randomUUID();
  return state.instanceId;
}

/** The lease this process gives its runs (RUN_LEASE_MS). */
export function runLease(): RunLease {
  return { ownerId: instanceId(), leaseMs: env().RUN_LEASE_MS };
}

/** How often the owner renews its leases and looks for orphans: a third of the lease, so two beats may be missed. */
export function heartbeatMs(leaseMs: number): number {
  return Math.max(250, Math.floor(leaseMs / 3));
}

/** Tells this instance's viewers what finishing orphaned runs changed. */
export function publishFinished(finished: FinishedOrphans): void {
  const bus = getSessionBus();
  for (const step of finished.steps) bus.publish(step.sessionId, { type: "step.updated", step });
  for (const session of finished.sessions) {
    bus.publish(session.id, { type: "session.updated", session: toSessionSummary(session) });
  }
  for (const run of finished.runs) bus.publish(run.sessionId, { type: "run.updated", run });
}

/** Finishes the session's runs whose server died, before a request acts on the session. */
export async function finishOrphansOf(sessionId: string): Promise<void> {
  const finished = await finishOrphanedRuns(SERVER_STOPPED, { sessionId });
  if (finished.runs.length > 0) publishFinished(finished);
}

/**
 * One heartbeat: renew this process's leases (and stop its runs that a person stopped
 * through another instance), then — unless this server is stopping — queue again runs
 * whose job was lost (run-queue.ts), finish anyone's runs whose lease has expired, and
 * resume those whose session allows it.
 */
export async function leaseTick(): Promise<void> {
  for (const runId of await renewLeases([...activeRuns.keys()], runLease())) {
    activeRuns.get(runId)?.controller.abort(STOPPED);
  }
  // a server that is stopping leaves orphans (its own handed-back runs too) to one that can resume them
  if (!acceptingRuns()) return;
  await requeueStaleRuns();
  const finished = await finishOrphanedRuns(SERVER_STOPPED);
  if (finished.runs.length > 0) {
    console.log(`Finished ${finished.runs.length} run(s) whose server stopped.`);
    publishFinished(finished);
    // imported here: run-resume starts runs, and run.ts imports this module
    const { resumeInterruptedRuns } = await import("./run-resume");
    await resumeInterruptedRuns(finished);
  }
}

/**
 * Starts this process's heartbeat (once; later calls do nothing): a first tick now (the
 * start-up look for orphans), then every `heartbeatMs`. It never keeps the process alive.
 */
export function startLeaseKeeper(): void {
  const state = processState();
  if (state.leaseKeeper) return;
  const tick = () => leaseTick().catch((error: unknown) => console.error("[runs] lease heartbeat failed", error));
  state.leaseKeeper = setInterval(tick, heartbeatMs(env().RUN_LEASE_MS));
  state.leaseKeeper.unref();
  void tick();
}
