import "server-only";
import PgBoss from "pg-boss";
import { listStaleQueuedRuns } from "@/lib/db/runs";
import { env } from "@/lib/env";
import { processState } from "@/lib/process-state";

/**
 * Runs on a durable queue, on PostgreSQL (issue 12 item 6): starting a run writes its row
 * as `queued` and sends a job naming it to pg-boss's queue `runs`; every instance's worker
 * fetches jobs (`FOR UPDATE SKIP LOCKED`, so each job goes to one worker) and claims the
 * run with one conditional update (lib/db/runs.ts `claimQueuedRun`), so any instance may
 * pick a run up and a job handed out twice starts its run once. The job ends as soon as
 * the run is claimed: from then on the run's lease (run-lease.ts) says who executes it,
 * and an instance that dies is noticed by its missed heartbeats, not by the job.
 *
 * The instance that sends a job claims its run at once (`dispatchRun`), so a run starts
 * without waiting for a fetch; the workers take the jobs their senders did not claim
 * (stopping, or dead in between), polling every second. On the embedded
 * database (PGlite, one process) there is no queue: runs start in the process that
 * received them, as before.
 *
 * pg-boss 10.4.2 is the last major that runs on Node 20 (11 needs Node 22). Its tables
 * live in their own schema (`pgboss`), created and migrated by `start()`.
 */

/**
 * The queue's name in pg-boss. A run's job has the run's id (a UUID) as its own, so
 * sending it again while it exists does nothing (pg-boss inserts with ON CONFLICT DO NOTHING).
 */
export const RUN_QUEUE = "runs";

/** How often an idle worker asks for jobs, in seconds (pg-boss's minimum is 0.5). */
const POLL_SECONDS = 1;

/** Jobs one fetch takes: claiming is quick, so a burst of starts drains in a few round trips. */
const BATCH_SIZE = 8;

/**
 * pg-boss settings for the queue: a job whose worker died between fetching and claiming
 * (kill -9) expires after 10 s — claiming is one statement, so a live worker is done long
 * before — and is handed out again, up to 5 times, a second apart. Applied to an existing
 * queue too (`updateQueue`), so a deployment made with older settings takes them.
 */
const QUEUE_OPTIONS = { retryLimit: 5, retryDelay: 1, expireInSeconds: 10 } as const;

/**
 * How often pg-boss's maintenance runs, in seconds (once per interval across all instances:
 * they take turns through its own table). Expiry happens there, so a dead worker's job is
 * handed out again at most this long after it expires: within 10 + 5 s, under the 30 s the
 * run leases give a dead instance's runs. pg-boss's default, 120 s, meant up to 150 s.
 */
const MAINTENANCE_SECONDS = 5;

/**
 * What the queue needs from the run module: claim the run and start it here. Resolves
 * true when this instance claimed it, false when it was gone (claimed elsewhere, stopped
 * while queued, deleted with its session); rejects on a database error.
 */
export type ClaimHandler = (runId: string) => Promise<boolean>;

interface QueueState {
  boss: PgBoss;
  workerId: string | null;
}

/** This process's queue (lib/process-state.ts `runQueue`). */
export interface RunQueueProcessState {
  /** pg-boss started, the queue created and this process's worker registered */
  queue?: Promise<QueueState>;
  /** starts a claimed run here (lib/agent/run.ts) */
  claim?: ClaimHandler;
  /** the server is stopping: its worker fetches no more */
  stopped?: boolean;
}

/** Whether runs go through the queue: only on PostgreSQL (DATABASE_URL set). */
export function runQueueEnabled(): boolean {
  return Boolean(env().DATABASE_URL);
}

/** The job's payload: the run it names. Throws on anything else (a job not sent by us). */
export function runIdOf(data: unknown): string {
  const runId = (data as { runId?: unknown } | null)?.runId;
  if (typeof runId !== "string" || runId.length === 0) throw new Error("a run job without a runId");
  return runId;
}

function queueState(): RunQueueProcessState {
  const state = processState();
  state.runQueue ??= {};
  return state.runQueue;
}

/**
 * Starts this process's queue and worker once (later calls return the same one): pg-boss
 * on DATABASE_URL with a small pool, the `runs` queue created if missing, and a worker
 * that hands each job's run to `claim`. Errors in the background (a lost connection) are
 * logged; pg-boss reconnects on its own.
 */
export function startRunQueue(claim: ClaimHandler): Promise<QueueState> {
  const state = queueState();
  state.claim = claim;
  state.queue ??= (async () => {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("the run queue needs DATABASE_URL (PostgreSQL)");
    const boss = new PgBoss({
      connectionString: url,
      schema: env().RUN_QUEUE_SCHEMA,
      max: 3,
      application_name: "interleave-runs",
      maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
    });
    boss.on("error", (error) => console.error("[runs] queue error", error.message));
    await boss.start();
    // instances starting together against a new database may deadlock creating the queue:
    // this one lets go of its pool and timers, and the heartbeat starts it again
    await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, ...QUEUE_OPTIONS }).catch(async (error: unknown) => {
      await boss.stop({ graceful: false, wait: false }).catch(() => {});
      throw error;
    });
    await boss.updateQueue(RUN_QUEUE, { name: RUN_QUEUE, ...QUEUE_OPTIONS });
    const queue: QueueState = { boss, workerId: null };
    queue.workerId = await boss.work<{ runId: string }>(
      RUN_QUEUE,
      { batchSize: BATCH_SIZE, pollingIntervalSeconds: POLL_SECONDS },
      async (jobs) => {
        // A full batch may have more behind it: fetch again at once rather than after the
        // poll interval (pg-boss waits it out after every fetch it wasn't woken during).
        if (jobs.length === BATCH_SIZE && queue.workerId && !state.stopped) boss.notifyWorker(queue.workerId);
        // Claiming fails only on a database error: the job fails and pg-boss hands it out again.
        await Promise.all(jobs.map((job) => (state.claim ?? claim)(runIdOf(job.data))));
      },
    );
    return queue;
  })().catch((error: unknown) => {
    state.queue = undefined;
    throw error;
  });
  return state.queue;
}

/**
 * Puts a run on the queue and, unless this instance is stopping, claims it here at the
 * same time: the instance a run was started on starts it with no fetch in between and no
 * round trip waiting for the job's write, and its job is deleted once written. Whichever
 * write this instance dies between, the run is not lost: claimed, it has a lease (its
 * expiry is noticed and the run resumed, run-lease.ts); not claimed, its job is there for
 * another instance's worker, or, not written either, the heartbeat queues it again
 * (`requeueStaleRuns`). Claiming is conditional, so a worker that fetches the job in
 * between starts nothing. Throws when the job can't be written and the run was not claimed
 * (the caller marks the run failed); a failed claim leaves the job to the workers.
 */
export async function dispatchRun(runId: string, claim: ClaimHandler): Promise<void> {
  const { boss } = await startRunQueue(claim);
  const sending = boss.send(RUN_QUEUE, { runId }, { id: runId });
  if (queueState().stopped) {
    await sending;
    return;
  }
  const claiming = claim(runId).catch((error: unknown) => {
    console.error(`[run ${runId}] claiming failed; the queue hands it out again`, error);
    return false;
  });
  const [sent, claimed] = await Promise.all([
    sending.then(
      () => null,
      (error: unknown) => ({ error }),
    ),
    claiming,
  ]);
  if (sent && !claimed) throw sent.error;
  if (sent) {
    console.error(`[run ${runId}] its job could not be written; it runs here`, errorMessage(sent.error));
    return;
  }
  if (claimed) {
    void boss.deleteJob(RUN_QUEUE, runId).catch((error: unknown) => {
      // harmless: a worker fetching it finds the run claimed and completes the job
      console.error(`[run ${runId}] its job could not be deleted`, errorMessage(error));
    });
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : error);

/**
 * A stopping instance takes no more runs: its worker stops fetching (jobs it has not
 * fetched stay for the other instances). Runs it already claimed are settled by
 * active-runs.ts `stopAllRuns`.
 */
export async function stopRunWorker(): Promise<void> {
  const state = queueState();
  state.stopped = true;
  if (!state.queue) return;
  const { boss } = await state.queue.catch(() => ({ boss: null }));
  await boss?.offWork(RUN_QUEUE);
}

/** A queued run older than this (milliseconds) with no instance claiming it has lost its job. */
export const STALE_QUEUED_MS = 15_000;

/**
 * Sends the job of every run queued longer than STALE_QUEUED_MS whose job is missing
 * (its sender died between writing the row and the job), and hands out again one whose
 * job failed all its tries (claiming kept failing: the database was down a while, or every
 * instance was stopping) — pg-boss would keep that one until its archive, 12 hours. A run
 * whose job waits, or is held by a worker that died (pg-boss hands it out again once it
 * expires), is left to it: the job's id is the run's. Called by the lease heartbeat; starts
 * the queue again when its first start failed. Claiming is conditional, so no run starts twice.
 */
export async function requeueStaleRuns(): Promise<void> {
  const state = queueState();
  if (state.stopped) return;
  // a queue whose start failed (the database was not up, or a deadlock with another
  // instance creating it) starts again here: else this instance's worker would wait for a
  // run start on this instance
  const queue = state.queue ?? (state.claim ? startRunQueue(state.claim) : null);
  if (!queue) return;
  const { boss } = await queue;
  let sent = 0;
  for (const runId of await listStaleQueuedRuns(STALE_QUEUED_MS)) {
    if (await boss.send(RUN_QUEUE, { runId }, { id: runId })) sent += 1;
    else await boss.retry(RUN_QUEUE, runId); // changes only a job in state failed
  }
  if (sent > 0) console.log(`[runs] queued ${sent} run(s) again whose job was lost`);
}
