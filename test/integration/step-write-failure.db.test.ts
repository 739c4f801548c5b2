import { afterEach, beforeEach, expect, test } from "vitest";
import * as eventsRoute from "@/app/api/sessions/[id]/events/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { getDatabase } from "@/lib/db/client";
import { listSessionSteps } from "@/lib/db/steps";
import { callRoute } from "../api";
import { asTestUser } from "../auth";
import { testWorkspaceId } from "../workspace";
import { emulatorForFile } from "./emulator-env";

/**
 * A step write that fails: once (retried, nothing lost), or for good (the run stops and
 * says so; memory and database agree; no row stays streaming). Faults are injected by a
 * trigger on the session's own steps, so they hit the real batched statement on both
 * databases and no other test.
 */

const emulator = emulatorForFile({ MODEL_STALL_TIMEOUT_MS: "5000" });
beforeEach(() => emulator().reset());
afterEach(async () => {
  const { query } = await getDatabase();
  await query(`DROP TRIGGER IF EXISTS "fail_step_write" ON "Step"`, []);
});

async function newSession(): Promise<string> {
  const { json } = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  return json.session.id;
}

/** Every write of the session's steps matching `condition` fails while `failing` says so. */
async function injectFailure(sessionId: string, condition: string, failing: string) {
  const { query } = await getDatabase();
  await query(
    `CREATE OR REPLACE FUNCTION "fail_step_write_${sessionId.replaceAll("-", "_")}"() RETURNS trigger AS $$
     BEGIN
       IF NEW."sessionId" = '${sessionId}' AND ${condition} AND ${failing} THEN
         RAISE EXCEPTION 'injected step write failure';
       END IF;
       RETURN NEW;
     END $$ LANGUAGE plpgsql`,
    [],
  );
  await query(
    `CREATE TRIGGER "fail_step_write" BEFORE INSERT OR UPDATE ON "Step"
     FOR EACH ROW EXECUTE FUNCTION "fail_step_write_${sessionId.replaceAll("-", "_")}"()`,
    [],
  );
}

async function runToEnd(sessionId: string) {
  const events = await eventsRoute.GET(
    await asTestUser(
      new Request(`http://localhost/api/sessions/${sessionId}/events`, { signal: AbortSignal.timeout(20_000) }),
    ),
    { params: Promise.resolve({ id: sessionId }) },
  );
  const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
  expect(started.status).toBe(202);
  await waitForRun(started.json.run.id);
  const { prisma } = await getDatabase();
  return {
    run: await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } }),
    session: await prisma.session.findUniqueOrThrow({ where: { id: sessionId } }),
    events: await readEvents(events),
  };
}

/** The events published until the run ended. */
async function readEvents(response: Response): Promise<any[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const messages: any[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const blocks = text.split("\n\n");
    text = blocks.pop() ?? "";
    for (const block of blocks) {
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      if (data) messages.push(JSON.parse(data));
    }
    const last = messages.at(-1);
    if (last?.type === "run.updated" && last.run.finishedAt) break;
  }
  await reader.cancel();
  return messages;
}

/** The steps a viewer holds after the events: the snapshot, then each event applied. */
function viewerSteps(events: any[]): Map<string, any> {
  const steps = new Map<string, any>();
  for (const event of events) {
    if (event.type === "snapshot") for (const step of event.steps) steps.set(step.id, step);
    if (event.type === "step.created" || event.type === "step.updated") steps.set(event.step.id, event.step);
    if (event.type === "step.delta") {
      const step = steps.get(event.stepId);
      steps.set(event.stepId, { ...step, content: step.content.slice(0, event.offset) + event.text });
    }
    if (event.type === "step.removed") steps.delete(event.stepId);
  }
  return steps;
}

test("a write that fails once is retried: the run finishes with every step saved", async () => {
  const sessionId = await newSession();
  const { query } = await getDatabase();
  await query(`CREATE SEQUENCE IF NOT EXISTS "fail_once_${sessionId.replaceAll("-", "_")}"`, []);
  await injectFailure(
    sessionId,
    `NEW."kind" = 'tool_call'`,
    `nextval('"fail_once_${sessionId.replaceAll("-", "_")}"') = 1`,
  );
  const { run } = await runToEnd(sessionId);
  expect(run.errorCode).toBeNull();
  expect(run.status).toBe("done");
  const steps = await listSessionSteps({ sessionId, workspaceId: await testWorkspaceId() });
  expect(steps).toHaveLength(12);
  expect(steps.every((step) => step.status === "done")).toBe(true);
  expect((await getDatabase()).stepRows.pendingOf(sessionId)).toEqual([]);
});

test("a write that keeps failing stops the run and says so; viewers, memory and database agree", async () => {
  const sessionId = await newSession();
  // the second turn's tool call can never be stored: it, and everything below it, is lost
  await injectFailure(sessionId, `NEW."kind" = 'tool_call' AND NEW."turn" = 2`, "true");
  const { run, session, events } = await runToEnd(sessionId);
  expect(run.status).toBe("failed");
  expect(run.errorCode).toBe("internal:database");
  expect(run.errorMessage).toMatch(/could not be saved/);

  const stored = await listSessionSteps({ sessionId, workspaceId: await testWorkspaceId() });
  expect(stored.some((step) => step.status === "streaming")).toBe(false);
  expect(stored.map((step) => step.kind)).toEqual(["task", "thinking", "tool_call", "tool_result", "thinking"]);
  expect((await getDatabase()).stepRows.pendingOf(sessionId)).toEqual([]);
  // the session's branch ends at a step the database has
  expect(stored.map((step) => step.id)).toContain(session.activeLeafId);

  // what a viewer ends up with is what a reload shows
  const viewer = viewerSteps(events);
  expect([...viewer.keys()].sort()).toEqual(stored.map((step) => step.id).sort());
  for (const step of stored) expect(viewer.get(step.id)).toMatchObject({ status: step.status, content: step.content });
  expect(events.some((event) => event.type === "step.removed")).toBe(true);
  const ended = events.at(-1);
  expect(ended.run).toMatchObject({ status: "failed", errorCode: "internal:database" });

  // Retry continues from the last saved step once the database takes the writes again
  const { query } = await getDatabase();
  await query(`DROP TRIGGER IF EXISTS "fail_step_write" ON "Step"`, []);
  const retried = await runToEnd(sessionId);
  expect(retried.run.status).toBe("done");
});
