import "server-only";
import { randomUUID } from "node:crypto";
import { toSessionSummary } from "@/lib/db/mappers";
import { type FinishedOrphans, finishOrphanedRuns, type RunLease, renewLeases, SERVER_STOPPED } from "@/lib/db/runs";
import { renewSuiteRunLeases } from "@/lib/db/suite-runs";
import { env } from "@/lib/env";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "@/lib/realtime/bus";
import { acceptingRuns, activeRuns, activeSuiteRuns, type SuiteStop } from "./active-runs";
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
 * session (a new run, Retry, an edit, Stop). Suite runs are leased the same way, renewed
 * by the same heartbeat, and taken over when their lease expires (lib/suites/runner.ts).
 * State is on globalThis: the route bundles and the instrumentation hook each load their
 * own copy of this module.
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
 * One heartbeat: renew this process's leases, its runs' and its suite runs' (and stop those
 * that a person stopped through another instance, or that are not this process's any
 * more), then — unless this server is stopping — queue again runs whose job was lost
 * (run-queue.ts), finish anyone's runs whose lease has expired, resume those whose session
 * allows it, and take over and resume suite runs whose lease has expired
 * (lib/suites/runner.ts): after the runs, so a suite run taken over finds its tasks' runs
 * finished already.
 */
export async function leaseTick(): Promise<void> {
  const lease = runLease();
  const [stops, suiteRuns] = await Promise.all([
    renewLeases([...activeRuns.keys()], lease),
    renewSuiteRunLeases([...activeSuiteRuns.keys()], lease),
  ]);
  for (const runId of stops) activeRuns.get(runId)?.controller.abort(STOPPED);
  for (const id of suiteRuns.stop) activeSuiteRuns.get(id)?.controller.abort({ kind: "stopped" } satisfies SuiteStop);
  for (const id of suiteRuns.lost) activeSuiteRuns.get(id)?.controller.abort({ kind: "lost" } satisfies SuiteStop);
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
  // imported here too: the runner starts runs
  const { resumeSuiteRuns } = await import("@/lib/suites/runner");
  await resumeSuiteRuns();
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
