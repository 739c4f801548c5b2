import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test, vi } from "vitest";
import * as cancelRoute from "@/app/api/runs/[runId]/cancel/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { startRunWorker, waitForRun } from "@/lib/agent/run";
import { instanceId, runLease } from "@/lib/agent/run-lease";
import { RUN_QUEUE, requeueStaleRuns, STALE_QUEUED_MS } from "@/lib/agent/run-queue";
import { getDatabase } from "@/lib/db/client";
import { claimQueuedRun } from "@/lib/db/runs";
import { env } from "@/lib/env";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "@/lib/realtime/bus";
import { callRoute } from "../api";
import { emulatorForFile } from "./emulator-env";

/**
 * Runs on the durable queue (issue 12 item 6), on PostgreSQL: a run start writes a queued
 * row and a pg-boss job, an instance's worker claims it (exactly once, however often the
 * job is handed out) and executes it; a queued run can be stopped before anyone claims
 * it; a run whose job was lost is queued again by the heartbeat. The embedded database
 * has no queue (one process), so on PGlite runs start in process and these are skipped.
 */

const _emulator = emulatorForFile();
const onPostgres = Boolean(process.env.DATABASE_URL);

async function newSession() {
  const { json } = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  return { sessionId: json.session.id as string, taskId: json.session.activeLeafId as string };
}

/** A queued run row with no job, as a sender that died between the two leaves it; created `ageMs` ago. */
async function queuedRunWithoutJob(ageMs = 0) {
  const { sessionId, taskId } = await newSession();
  const { prisma } = await getDatabase();
  const run = await prisma.run.create({
    data: {
      id: randomUUID(), // as startRun names runs: the job's id is the run's
      sessionId,
      fromStepId: taskId,
      modelId: "MiniMax-M2",
      status: "queued",
      createdAt: new Date(Date.now() - ageMs),
    },
  });
  return { sessionId, runId: run.id };
}

/** The pg-boss jobs of the run queue that name `runId`, by state. */
async function jobStates(runId: string): Promise<string[]> {
  const { query } = await getDatabase();
  const schema = env().RUN_QUEUE_SCHEMA;
  const rows = await query<{ state: string }>(
    `SELECT state FROM ${schema}.job WHERE name = $1 AND data->>'runId' = $2
     UNION ALL SELECT state FROM ${schema}.archive WHERE name = $1 AND data->>'runId' = $2`,
    [RUN_QUEUE, runId],
  );
  return rows.map((row) => row.state);
}

describe.skipIf(!onPostgres)("runs on the durable queue (PostgreSQL)", () => {
  beforeAll(() => startRunWorker());

  test("a run start answers queued; the instance it reached claims it at once, deletes its job and executes it to its end", async () => {
    const { sessionId } = await newSession();
    const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
    expect(started.status).toBe(202);
    expect(started.json.run).toMatchObject({ status: "queued", startedAt: null });

    await waitForRun(started.json.run.id);
    const { prisma } = await getDatabase();
    const run = await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } });
    expect(run).toMatchObject({ status: "done", ownerId: instanceId() });
    expect(run.startedAt).not.toBeNull();
    // the job is deleted after the claim, without holding up the run
    await expect.poll(() => jobStates(run.id)).toEqual([]);
  });

  test("a run handed out twice starts once: of concurrent claims exactly one gets it", async () => {
    const { runId } = await queuedRunWithoutJob();
    const claims = await Promise.all([
      claimQueuedRun(runId, { ownerId: "instance-a", leaseMs: 30_000 }),
      claimQueuedRun(runId, { ownerId: "instance-b", leaseMs: 30_000 }),
      claimQueuedRun(runId, { ownerId: "instance-c", leaseMs: 30_000 }),
    ]);
    const won = claims.filter((claim) => claim !== null);
    expect(won).toHaveLength(1);
    expect(won[0]?.run.status).toBe("running");
    const { prisma } = await getDatabase();
    const row = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(row.ownerId).toBe(["instance-a", "instance-b", "instance-c"][claims.indexOf(won[0] ?? null)]);
    expect(row.leaseExpiresAt?.getTime()).toBeGreaterThan(Date.now());
    // the run is left to look orphaned to nobody here: end it
    await prisma.run.update({ where: { id: runId }, data: { status: "cancelled", finishedAt: new Date() } });
  });

  test("Stop on a queued run ends it at once, and a job arriving later starts nothing", async () => {
    const { runId } = await queuedRunWithoutJob();
    const stopped = await callRoute(cancelRoute.POST, { method: "POST", params: { runId } });
    expect(stopped.status).toBe(200);
    expect(stopped.json.run).toMatchObject({ status: "cancelled", errorCode: "cancelled:run" });
    expect(await claimQueuedRun(runId, runLease())).toBeNull();
  });

  test("a job an instance fetched and died with (kill -9, before claiming its run) is handed out again within 30 s", async () => {
    const { runId } = await queuedRunWithoutJob();
    const queue = await processState().runQueue?.queue;
    if (!queue) throw new Error("the run queue is not started");
    // the job as a dead worker leaves it: fetched (active, started now), never completed
    await queue.boss.send(RUN_QUEUE, { runId }, { id: runId, startAfter: 3600 });
    const { query, prisma } = await getDatabase();
    const schema = env().RUN_QUEUE_SCHEMA;
    await query(`UPDATE ${schema}.job SET state = 'active', started_on = now(), start_after = now() WHERE id = $1`, [
      runId,
    ]);
    const diedAt = Date.now();
    await vi.waitFor(
      async () => expect((await prisma.run.findUniqueOrThrow({ where: { id: runId } })).status).not.toBe("queued"),
      { timeout: 30_000, interval: 250 },
    );
    expect(Date.now() - diedAt).toBeLessThan(30_000);
    await waitForRun(runId);
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "done" });
  });

  test("a run claimed as its server begins to stop goes back to the queue unstarted, for another instance", async () => {
    const { runId } = await queuedRunWithoutJob();
    const state = processState();
    const claim = state.runQueue?.claim;
    if (!claim) throw new Error("the run queue is not started");
    const { prisma } = await getDatabase();
    // the server begins to stop while its worker claims the run
    const claiming = claim(runId);
    state.stoppingAll = true;
    try {
      await expect(claiming).rejects.toThrow("this server is stopping");
    } finally {
      state.stoppingAll = false;
    }
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "queued",
      ownerId: null,
      leaseExpiresAt: null,
      startedAt: null,
    });
    // another instance (here: this one, running again) claims and runs it
    await claim(runId);
    await waitForRun(runId);
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "done" });
  });

  test("a run whose job can't be written but which this instance claimed runs here to its end: the start answers 202", async () => {
    const { sessionId } = await newSession();
    const queue = await processState().runQueue?.queue;
    if (!queue) throw new Error("the run queue is not started");
    const send = vi.spyOn(queue.boss, "send").mockRejectedValueOnce(new Error("Connection terminated unexpectedly"));
    try {
      const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
      expect(started.status).toBe(202);
      expect(send).toHaveBeenCalledTimes(1);
      await waitForRun(started.json.run.id);
      const { prisma } = await getDatabase();
      expect(await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } })).toMatchObject({
        status: "done",
        ownerId: instanceId(),
        errorCode: null,
      });
      expect(await jobStates(started.json.run.id)).toEqual([]);
    } finally {
      send.mockRestore();
    }
  });

  test("a run whose job can't be written and which this instance can't claim ends failed, and the start answers 503 unavailable:queue", async () => {
    const { sessionId } = await newSession();
    const state = processState();
    const queue = await state.runQueue?.queue;
    if (!queue) throw new Error("the run queue is not started");
    // the job's write fails as the server begins to stop: its claim throws too
    const send = vi.spyOn(queue.boss, "send").mockImplementationOnce(async () => {
      state.stoppingAll = true;
      throw new Error("Connection terminated unexpectedly");
    });
    try {
      const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
      expect([started.status, started.json.error?.code]).toEqual([503, "unavailable:queue"]);
      expect(started.json.error.message).toMatch(/could not be queued/);
      const { prisma } = await getDatabase();
      const [run] = await prisma.run.findMany({ where: { sessionId } });
      expect(run).toMatchObject({ status: "failed", errorCode: "unavailable:queue", ownerId: null });
      expect(run?.finishedAt).not.toBeNull();
      expect(await jobStates(run?.id ?? "")).toEqual([]);
    } finally {
      state.stoppingAll = false;
      send.mockRestore();
    }
  });

  test("a Stop that lands while the job can't be written stands: viewers are never told 'failed', and the start answers the cancelled run", async () => {
    const { sessionId } = await newSession();
    const state = processState();
    const queue = await state.runQueue?.queue;
    if (!queue) throw new Error("the run queue is not started");
    const told: string[] = [];
    const following = getSessionBus().follow(
      sessionId,
      (event) => {
        if (event.type === "run.updated") told.push(event.run.status);
      },
      () => {},
    );
    await following.ready;
    // the job's write fails; meanwhile (the server beginning to stop keeps this instance
    // from claiming it) someone's Stop reaches the queued run
    const send = vi.spyOn(queue.boss, "send").mockImplementationOnce(async () => {
      state.stoppingAll = true;
      const { prisma } = await getDatabase();
      const queued = await prisma.run.findFirstOrThrow({ where: { sessionId } });
      expect((await callRoute(cancelRoute.POST, { method: "POST", params: { runId: queued.id } })).status).toBe(200);
      throw new Error("Connection terminated unexpectedly");
    });
    try {
      const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
      expect(started.status).toBe(202);
      expect(started.json.run).toMatchObject({ status: "cancelled", errorCode: "cancelled:run" });
      const { prisma } = await getDatabase();
      expect(await prisma.run.findFirstOrThrow({ where: { sessionId } })).toMatchObject({
        status: "cancelled",
        errorCode: "cancelled:run",
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(told).toEqual(["queued", "cancelled"]);
    } finally {
      following.stop();
      state.stoppingAll = false;
      send.mockRestore();
    }
  });

  test("a queued run whose job failed all its tries is handed out again by the heartbeat and runs", async () => {
    const { runId } = await queuedRunWithoutJob(STALE_QUEUED_MS + 5_000);
    const queue = await processState().runQueue?.queue;
    if (!queue) throw new Error("the run queue is not started");
    await queue.boss.send(RUN_QUEUE, { runId }, { id: runId, startAfter: 3600 });
    const { query, prisma } = await getDatabase();
    await query(`UPDATE ${env().RUN_QUEUE_SCHEMA}.job SET state = 'failed', start_after = now() WHERE id = $1`, [
      runId,
    ]);
    await requeueStaleRuns();
    await waitForRun(runId);
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "done" });
  });

  test("a queued run whose job was lost is queued again by the heartbeat and runs", async () => {
    const { runId } = await queuedRunWithoutJob(STALE_QUEUED_MS + 5_000);
    const fresh = await queuedRunWithoutJob(0);
    await requeueStaleRuns();
    await waitForRun(runId);
    const { prisma } = await getDatabase();
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "done" });
    // a run queued just now is left to its own job
    expect(await jobStates(fresh.runId)).toEqual([]);
    await prisma.run.update({ where: { id: fresh.runId }, data: { status: "cancelled", finishedAt: new Date() } });
  });

  test("a queue whose start failed (a deadlock with another instance creating it) is started again by the heartbeat", async () => {
    const state = processState().runQueue ?? {};
    const running = state.queue;
    state.queue = undefined; // as a failed start leaves it
    try {
      await requeueStaleRuns();
      expect(state.queue).toBeDefined();
      const { runId } = await queuedRunWithoutJob(STALE_QUEUED_MS + 1_000);
      await requeueStaleRuns();
      await waitForRun(runId);
      const { prisma } = await getDatabase();
      expect((await prisma.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("done");
    } finally {
      const restarted = await processState().runQueue?.queue;
      state.queue = running;
      await restarted?.boss.stop({ graceful: false, wait: true });
    }
  });
});
