import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, expect, test } from "vitest";
import * as cancelRoute from "@/app/api/runs/[runId]/cancel/route";
import * as branchesRoute from "@/app/api/sessions/[id]/branches/route";
import * as commentsRoute from "@/app/api/sessions/[id]/comments/route";
import * as eventsRoute from "@/app/api/sessions/[id]/events/route";
import * as presenceRoute from "@/app/api/sessions/[id]/presence/route";
import * as reviewsRoute from "@/app/api/sessions/[id]/reviews/route";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sharesRoute from "@/app/api/sessions/[id]/shares/route";
import * as editRoute from "@/app/api/sessions/[id]/steps/[stepId]/edit/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { getDatabase } from "@/lib/db/client";
import { getSessionWithTree } from "@/lib/db/steps";
import type { StepNode } from "@/lib/steps/types";
import { callRoute } from "../api";
import { asTestUser } from "../auth";
import { emulatorForFile } from "./emulator-env";

/**
 * Read-your-writes whichever door a request comes in by (issue 13 item 3): while a run's
 * step writes are held back in the database, the page's data, the event stream's
 * snapshot, the branch list and an edit all see the steps the write-behind queue holds.
 * The writes are held by a trigger that waits on an advisory lock this test keeps on
 * its own connection, so only PostgreSQL can hold them while reads go on (PGlite has
 * one connection: a held write would hold every read too).
 */

const emulator = emulatorForFile({ MODEL_STALL_TIMEOUT_MS: "20000" });

const LOCK_KEY = 713_013;
let cleanup: (() => Promise<void>) | null = null;

afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** Holds every write of the session's model steps until the returned function is called. */
async function holdStepWrites(sessionId: string): Promise<() => Promise<void>> {
  const name = `hold_step_write_${sessionId.replaceAll("-", "_")}`;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
  await client.query(
    `CREATE FUNCTION "${name}"() RETURNS trigger AS $$
     BEGIN
       IF NEW."sessionId" = '${sessionId}' AND NEW."origin" = 'model' THEN
         PERFORM pg_advisory_xact_lock_shared(${LOCK_KEY});
       END IF;
       RETURN NEW;
     END $$ LANGUAGE plpgsql`,
  );
  await client.query(
    `CREATE TRIGGER "${name}" BEFORE INSERT OR UPDATE ON "Step" FOR EACH ROW EXECUTE FUNCTION "${name}"()`,
  );
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    await client.query(`DROP TRIGGER "${name}" ON "Step"`);
    await client.query(`DROP FUNCTION "${name}"()`);
    await client.end();
  };
}

/** The first message of the session's event stream: the snapshot a new viewer gets. */
async function snapshotOf(sessionId: string): Promise<{ type: string; steps: StepNode[] }> {
  const controller = new AbortController();
  const response = await eventsRoute.GET(
    await asTestUser(new Request(`http://localhost/api/sessions/${sessionId}/events`, { signal: controller.signal })),
    { params: Promise.resolve({ id: sessionId }) },
  );
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the stream ended before its snapshot");
    text += decoder.decode(value, { stream: true });
    // Blocks without data (a retry hint, a comment) come first.
    const data = text
      .split("\n\n")
      .slice(0, -1)
      .map((block) =>
        block
          .split("\n")
          .filter((line) => line.startsWith("data: "))
          .map((line) => line.slice(6))
          .join("\n"),
      )
      .find((block) => block !== "");
    if (data === undefined) continue;
    controller.abort();
    await reader.cancel();
    return JSON.parse(data);
  }
}

/**
 * A new session whose run streams while its step writes are held (holdStepWrites), once
 * `until` holds for the steps the write-behind queue has. The run stalls after 8 chunks,
 * so it is still running; the test's cleanup releases the writes and stops it.
 */
async function runWithHeldWrites(
  until: (pending: StepNode[]) => boolean,
): Promise<{ sessionId: string; release: () => Promise<void> }> {
  const created = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  const sessionId: string = created.json.session.id;
  const release = await holdStepWrites(sessionId);
  emulator().setFault({ type: "stall", afterChunks: 8 });
  const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
  expect(started.status).toBe(202);
  const runId: string = started.json.run.id;
  cleanup = async () => {
    await release();
    await callRoute(cancelRoute.POST, { method: "POST", params: { runId } });
    await waitForRun(runId);
  };
  const { stepRows } = await getDatabase();
  const deadline = Date.now() + 10_000;
  while (!until(stepRows.pendingOf(sessionId))) {
    if (Date.now() > deadline) throw new Error("the run never streamed");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { sessionId, release };
}

test.skipIf(!process.env.DATABASE_URL)(
  "while a run's step writes are pending, the page, the snapshot, branches, the branch switch and edits all see its steps",
  async () => {
    const { sessionId } = await runWithHeldWrites((pending) => pending.some((step) => step.content.length > 0));
    const { prisma, stepRows } = await getDatabase();
    // Give the queue time to try its write (250 ms): it must be held, not merely not yet sent.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const pending = stepRows.pendingOf(sessionId);
    expect(await prisma.step.count({ where: { sessionId, origin: "model" } })).toBe(0);
    const newest = pending.at(-1) as StepNode;
    const byId = (steps: StepNode[]) => new Map(steps.map((step) => [step.id, step]));

    // The session page's data
    const { workspaceId } = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    const page = byId((await getSessionWithTree({ id: sessionId, workspaceId })).steps);
    for (const step of stepRows.pendingOf(sessionId)) expect(page.get(step.id)?.kind).toBe(step.kind);

    // A new viewer's snapshot
    const snapshot = await snapshotOf(sessionId);
    expect(snapshot.type).toBe("snapshot");
    const viewed = byId(snapshot.steps);
    for (const step of pending) expect(viewed.has(step.id)).toBe(true);

    // The branch list ends at the newest step
    const branches = await callRoute(branchesRoute.GET, { params: { id: sessionId } });
    expect(branches.json.branches.map((branch: { leafId: string }) => branch.leafId)).toContain(newest.id);

    // Switching the branch on screen to it
    const switched = await callRoute(sessionRoute.PATCH, {
      method: "PATCH",
      params: { id: sessionId },
      body: { activeLeafId: newest.id },
    });
    expect([switched.status, switched.json.session?.activeLeafId]).toEqual([200, newest.id]);

    // An edit finds the step (409: the run is on its branch), instead of "not part of this session"
    const thinking = pending.find((step) => step.kind === "thinking") as StepNode;
    const edit = await callRoute(editRoute.POST, {
      method: "POST",
      params: { id: sessionId, stepId: thinking.id },
      body: { content: "Think again" },
    });
    expect([edit.status, edit.json.error.code]).toEqual([409, expect.stringMatching(/^conflict:(step|run)$/)]);
  },
);

test.skipIf(!process.env.DATABASE_URL)(
  "a comment on a step whose row is not written yet waits for the row, instead of failing on its reference (a 500); a review of it, a branch share link to it and a tab selecting it find it (not a 404 or a 400)",
  async () => {
    const { sessionId, release } = await runWithHeldWrites((pending) => pending.length > 0);
    const { prisma, stepRows } = await getDatabase();
    const step = stepRows.pendingOf(sessionId)[0] as StepNode;
    expect(await prisma.step.count({ where: { id: step.id } })).toBe(0);
    const viewerId = randomUUID();
    const watching = new AbortController();
    const stream = await eventsRoute.GET(
      await asTestUser(
        new Request(`http://localhost/api/sessions/${sessionId}/events?viewer=${viewerId}`, {
          signal: watching.signal,
        }),
      ),
      { params: Promise.resolve({ id: sessionId }) },
    );
    const deadline = Date.now() + 5_000;
    while ((await prisma.viewer.count({ where: { sessionId, viewerId } })) === 0) {
      if (Date.now() > deadline) throw new Error("the tab's presence row never came");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const selected = await callRoute(presenceRoute.POST, {
      method: "POST",
      params: { id: sessionId },
      body: { viewerId, stepId: step.id },
    });
    watching.abort();
    await stream.body?.cancel().catch(() => {});
    expect(selected.status).toBe(204);
    const commenting = callRoute(commentsRoute.POST, {
      method: "POST",
      params: { id: sessionId },
      body: { stepId: step.id, body: "Why this?" },
    });
    const review = await callRoute(reviewsRoute.POST, {
      method: "POST",
      params: { id: sessionId },
      body: { leafId: step.id, verdict: "requested" },
    });
    const share = await callRoute(sharesRoute.POST, {
      method: "POST",
      params: { id: sessionId },
      body: { scope: "branch", leafId: step.id },
    });
    await release();
    expect([share.status, share.json.link?.leafId]).toEqual([201, step.id]);
    // found (not a 404), and refused: its run is still adding to the branch
    expect([review.status, review.json.error?.code]).toEqual([409, "conflict:run"]);
    const comment = await commenting;
    expect([comment.status, comment.json.comment?.stepId]).toEqual([201, step.id]);
  },
);
