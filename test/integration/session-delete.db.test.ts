import { randomUUID } from "node:crypto";
import { describe, expect, test, vi } from "vitest";
import * as eventsRoute from "@/app/api/sessions/[id]/events/route";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sharesRoute from "@/app/api/sessions/[id]/shares/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { startRunWorker, waitForRun } from "@/lib/agent/run";
import { leaseTick } from "@/lib/agent/run-lease";
import { dispatchRun, RUN_QUEUE } from "@/lib/agent/run-queue";
import { getDatabase } from "@/lib/db/client";
import { env } from "@/lib/env";
import { processState } from "@/lib/process-state";
import { openSessionStream } from "@/lib/realtime/sse";
import type { SessionSnapshot } from "@/lib/wire/events";
import type { StreamEnded } from "@/lib/wire/shares";
import { callRoute } from "../api";
import { testUserCookie } from "../auth";
import { emulatorForFile } from "./emulator-env";
import { twoRedisInstances } from "./redis-instances";

/**
 * Deleting a session while people watch it and runs go (issue 12, several instances). Two
 * Redis buses on one Redis are two app instances: "A" is this process's bus (the routes use
 * it), "B" another instance's, where a viewer follows the session and a run executes. The
 * delete on A stops the runs (B's through the bus, awaited), the rows go with the viewers'
 * presence, and every stream of the session — on A and on B — ends with a message saying the
 * session was deleted.
 */

emulatorForFile({ MODEL_STALL_TIMEOUT_MS: "60000" });
const onPostgres = Boolean(process.env.DATABASE_URL);
const { busB } = twoRedisInstances();

async function newSession(task = "Write a sum function [emulator:fault=stall@8]") {
  const created = await callRoute(sessionsRoute.POST, { method: "POST", body: { task, modelId: "MiniMax-M2" } });
  expect(created.status).toBe(201);
  return { sessionId: created.json.session.id as string, taskId: created.json.session.activeLeafId as string };
}

/** The raw SSE text of a stream until it closes, and whether it ended with `event: ended`. */
function readStream(stream: ReadableStream<Uint8Array>) {
  let text = "";
  const closed = (async () => {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return {
    text: () => text,
    /** the stream's `ended` message once it has closed */
    ended: async (): Promise<StreamEnded | null> => {
      await closed;
      const last = /event: ended\ndata: (.*)\n\n$/.exec(text);
      return last ? (JSON.parse(last[1] as string) as StreamEnded) : null;
    },
  };
}

/** A viewer on instance A: the events route, as a browser tab (`?viewer=`: its presence row). */
async function viewerOnA(sessionId: string, headers: Record<string, string>) {
  const request = new Request(`http://localhost/api/sessions/${sessionId}/events?viewer=${randomUUID()}`, { headers });
  const response = await eventsRoute.GET(request, { params: Promise.resolve({ id: sessionId }) });
  expect(response.status).toBe(200);
  return readStream(response.body as ReadableStream<Uint8Array>);
}

/** A viewer on instance B: B's bus, the same stream code (its snapshot is not what this test is about). */
function viewerOnB(sessionId: string) {
  const controller = new AbortController();
  const stream = openSessionStream({
    bus: busB,
    sessionId,
    after: null,
    signal: controller.signal,
    loadSnapshot: async () => ({}) as Omit<SessionSnapshot, "type" | "seq">,
  });
  return { ...readStream(stream), stop: () => controller.abort() };
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const DELETED = { type: "ended", code: "deleted", message: "This session was deleted, so it no longer updates." };

describe("deleting a session that people watch, on two instances", () => {
  test("streams on both instances end with the message, presence rows go, and the run here stops cleanly", async () => {
    const { sessionId } = await newSession();
    const cookie = await testUserCookie();
    const share = await callRoute(sharesRoute.POST, {
      method: "POST",
      params: { id: sessionId },
      body: { scope: "tree" },
    });
    expect(share.status).toBe(201);
    const member = await viewerOnA(sessionId, { cookie });
    const visitor = await viewerOnA(sessionId, { authorization: `Bearer ${share.json.token}` });
    const onB = viewerOnB(sessionId);
    const { prisma } = await getDatabase();
    await until(async () => (await prisma.viewer.count({ where: { sessionId } })) === 2, "both presence rows");

    const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
    expect(started.status).toBe(202);
    const runId = started.json.run.id as string;
    // the model stalls mid-answer: the run is going, with a streaming step
    await until(
      async () => (await prisma.step.count({ where: { sessionId, status: "streaming" } })) > 0,
      "a streaming step",
    );

    const errors = vi.spyOn(console, "error");
    const deleted = await callRoute(sessionRoute.DELETE, { method: "DELETE", params: { id: sessionId } });
    expect(deleted.status).toBe(204);
    expect(await member.ended()).toEqual(DELETED);
    expect(await visitor.ended()).toEqual(DELETED);
    expect(await onB.ended()).toEqual(DELETED);
    // the run's stop reached the viewers before the end
    expect(onB.text()).toContain('"errorCode":"cancelled:run"');
    expect(await prisma.viewer.count({ where: { sessionId } })).toBe(0);
    expect(await prisma.run.count({ where: { id: runId } })).toBe(0);
    await waitForRun(runId);
    // nothing failed on the way: no step write refused, no presence update of a gone session
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    // and the session answers 404 to anyone who comes back
    const again = await callRoute(eventsRoute.GET, { params: { id: sessionId } });
    expect(again.status).toBe(404);
  });

  test("a run executing on instance B is asked to stop over Redis and awaited before the rows go", async () => {
    const { sessionId, taskId } = await newSession("Write a sum function [emulator:scenario=sum]");
    const { prisma } = await getDatabase();
    const runId = randomUUID();
    await prisma.run.create({
      data: {
        id: runId,
        sessionId,
        fromStepId: taskId,
        modelId: "MiniMax-M2",
        status: "running",
        ownerId: "instance-b",
        leaseExpiresAt: new Date(Date.now() + 60_000),
        startedAt: new Date(),
      },
    });
    // instance B: told to stop, its run settles a moment later (as run-settle.ts records its end)
    const heard: { sessionThere: boolean; settledAt: number }[] = [];
    busB.onStopRequest((stopped) => {
      if (stopped !== runId) return;
      void (async () => {
        const sessionThere = (await prisma.session.count({ where: { id: sessionId } })) === 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
        await prisma.run.update({ where: { id: runId }, data: { status: "cancelled", finishedAt: new Date() } });
        heard.push({ sessionThere, settledAt: Date.now() });
      })();
    });
    const onB = viewerOnB(sessionId);
    await until(() => onB.text().length > 0, "B's stream open");

    const deleted = await callRoute(sessionRoute.DELETE, { method: "DELETE", params: { id: sessionId } });
    const answeredAt = Date.now();
    expect(deleted.status).toBe(204);
    expect(heard).toHaveLength(1);
    expect(heard[0]?.sessionThere).toBe(true);
    expect(heard[0]?.settledAt).toBeLessThanOrEqual(answeredAt);
    expect(await onB.ended()).toEqual(DELETED);
    expect(await prisma.run.count({ where: { sessionId } })).toBe(0);
  });

  test("a run whose session was deleted without its Stop reaching it stops at its instance's next heartbeat", async () => {
    const { sessionId } = await newSession();
    const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
    const runId = started.json.run.id as string;
    const { prisma } = await getDatabase();
    await until(
      async () => (await prisma.step.count({ where: { sessionId, status: "streaming" } })) > 0,
      "a streaming step",
    );
    // deleted by another instance whose Stop was lost (Redis down): the rows go under the run
    await prisma.session.delete({ where: { id: sessionId } });
    await leaseTick();
    await waitForRun(runId);
    expect(await prisma.step.count({ where: { sessionId } })).toBe(0);
  });

  test.skipIf(!onPostgres)("a queued run of a deleted session is dropped by the worker without an error", async () => {
    await startRunWorker();
    const { sessionId, taskId } = await newSession("Write a sum function [emulator:scenario=sum]");
    const { prisma, query } = await getDatabase();
    const run = await prisma.run.create({
      data: { id: randomUUID(), sessionId, fromStepId: taskId, modelId: "MiniMax-M2", status: "queued" },
    });
    await prisma.session.delete({ where: { id: sessionId } });
    const errors = vi.spyOn(console, "error");
    const claim = processState().runQueue?.claim;
    if (!claim) throw new Error("the run worker is not started");
    await dispatchRun(run.id, claim);
    const schema = env().RUN_QUEUE_SCHEMA;
    await until(async () => {
      const rows = await query<{ state: string }>(`SELECT state FROM ${schema}.job WHERE name = $1 AND id = $2`, [
        RUN_QUEUE,
        run.id,
      ]);
      return rows[0]?.state === "completed";
    }, "the job completed");
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
