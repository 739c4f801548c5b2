import { randomUUID } from "node:crypto";
import { describe, expect, test, vi } from "vitest";
import * as eventsRoute from "@/app/api/sessions/[id]/events/route";
import * as presenceRoute from "@/app/api/sessions/[id]/presence/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { getPrisma } from "@/lib/db/client";
import type { StepNode } from "@/lib/steps/types";
import { callRoute } from "../api";
import { guestCookie } from "../auth";
import { twoRedisInstances } from "./redis-instances";

/**
 * Presence across instances: a step streaming on instance B has its events on the bus at
 * once and its row in the database up to ~250 ms later. A tab on instance A that selects
 * it meanwhile is answered 204, as the bus vouches for it — only this session's bus: a step
 * streaming in another session, of this workspace or another, stays a 404. Two Redis
 * buses on one Redis are the two instances; A is this process's.
 */

const { busA, busB } = twoRedisInstances();

/** A session of the person with `cookie`: its id and task step's. */
async function newSession(cookie: string, task: string) {
  const created = await callRoute(sessionsRoute.POST, { method: "POST", cookie, body: { task } });
  expect(created.status).toBe(201);
  return created.json.session.id as string;
}

/** A step B streams in `sessionId` and has not written yet: its `step.created` on the bus, marked unwritten. */
function streamOnB(sessionId: string): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  const step: StepNode = {
    ...{ id, sessionId, parentId: null, runId: null, kind: "thinking", origin: "model", status: "streaming" },
    ...{ content: "", turn: 1, providerData: null, editedFromId: null, inputTokens: null, outputTokens: null },
    ...{ reasoningTokens: null, costUsd: null, createdAt: now, firstTokenAt: null, finishedAt: null },
  };
  busB.publish(sessionId, { type: "step.created", step }, { unflushed: true });
  return id;
}

/** Tab `viewerId` of `cookie` following `sessionId` on A (its presence row); abort to close. */
async function openTab(cookie: string, sessionId: string, viewerId: string) {
  const controller = new AbortController();
  const request = new Request(`http://localhost/api/sessions/${sessionId}/events?viewer=${viewerId}`, {
    headers: { cookie },
    signal: controller.signal,
  });
  const response = await eventsRoute.GET(request, { params: Promise.resolve({ id: sessionId }) });
  expect(response.status).toBe(200);
  const prisma = await getPrisma();
  await vi.waitFor(async () => expect(await prisma.viewer.count({ where: { sessionId, viewerId } })).toBe(1));
  return () => controller.abort();
}

describe("selecting a step that streams on another instance", () => {
  test("a step on this session's bus, not yet written, is selected; another session's (this workspace's or another's) is a 404", async () => {
    const owner = await guestCookie();
    const stranger = await guestCookie();
    const sessionId = await newSession(owner, "Presence across instances");
    const sibling = await newSession(owner, "Another session of the workspace");
    const foreign = await newSession(stranger, "Another workspace's session");
    const viewerId = randomUUID();
    const close = await openTab(owner, sessionId, viewerId);
    const select = (stepId: string) =>
      callRoute(presenceRoute.POST, {
        method: "POST",
        cookie: owner,
        params: { id: sessionId },
        body: { viewerId, stepId },
      });

    const streaming = streamOnB(sessionId);
    const elsewhere = [streamOnB(sibling), streamOnB(foreign)];
    // B's publishes are out once its events come back in order on the stream
    await vi.waitFor(async () => expect((await busA.eventsHeldAfter(foreign, 0)).length).toBeGreaterThan(0));
    const prisma = await getPrisma();
    expect(await prisma.step.count({ where: { id: streaming } })).toBe(0);

    expect((await select(streaming)).status).toBe(204);
    const row = await prisma.viewer.findUniqueOrThrow({ where: { sessionId_viewerId: { sessionId, viewerId } } });
    expect(row.stepId).toBe(streaming);
    for (const stepId of elsewhere) {
      const refused = await select(stepId);
      expect([refused.status, refused.json.error.code]).toEqual([404, "not_found:step"]);
    }
    close();
  });
});
