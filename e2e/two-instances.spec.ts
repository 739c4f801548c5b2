import type { ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import pg from "pg";
import type { SessionStreamMessage } from "../lib/wire/events";
import { applySessionEvent, type SessionState, stateFromSnapshot } from "../lib/wire/session-state";
import { guestOn, withCookie } from "./auth";
import { rows, runStatus } from "./helpers";
import { SECOND_SPARE_APP_PORT, SPARE_APP_PORT } from "./ports";
import { ADMIN_URL, killServer, startPostgresInstance, waitHealthy } from "./servers";

/** fetch() as this test's guest on the server it starts (e2e/auth.ts) */
let api: typeof fetch = fetch;

/**
 * Two instances of one deployment: two `next start` on one PostgreSQL database and one
 * Redis (README "Several instances"). A run started on A is watched live on B, in the
 * browser and by a second viewer that joins B mid-run; both end with exactly the steps
 * the database holds. Then Stop, pressed on B, stops a run executing on A at once.
 */

const REDIS_URL = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
const A = `http://127.0.0.1:${SPARE_APP_PORT}`;
const B = `http://127.0.0.1:${SECOND_SPARE_APP_PORT}`;
/** through Redis; a heartbeat every 20 s: a Stop that arrives sooner came through Redis */
const INSTANCE_ENV = { REDIS_URL, MODEL_STALL_TIMEOUT_MS: "60000", RUN_LEASE_MS: "60000" };

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A viewer outside the browser: follows a session's SSE stream and folds it as the page does. */
function follow(base: string, sessionId: string) {
  const controller = new AbortController();
  const view: { state: SessionState | null } = { state: null };
  const done = (async () => {
    const response = await api(`${base}/api/sessions/${sessionId}/events`, { signal: controller.signal });
    if (!response.body) throw new Error("no stream");
    const decoder = new TextDecoder();
    let pending = "";
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      const blocks = pending.split("\n\n");
      pending = blocks.pop() ?? "";
      for (const block of blocks) {
        const data = block.split("\n").find((line) => line.startsWith("data: "));
        if (!data) continue;
        const message = JSON.parse(data.slice(6)) as SessionStreamMessage;
        if (message.type === "snapshot") view.state = stateFromSnapshot(message);
        else if (view.state) view.state = applySessionEvent(view.state, message);
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return { view, stop: () => controller.abort(), done };
}

/** The database's steps as an instance serves them once the run has ended (a snapshot). */
async function storedSteps(base: string, sessionId: string) {
  const viewer = follow(base, sessionId);
  await expect.poll(() => viewer.view.state !== null).toBe(true);
  viewer.stop();
  await viewer.done;
  return [...(viewer.view.state?.steps.values() ?? [])];
}

test("a run started on instance A is watched live on instance B, with exactly the stored steps", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const name = `interleave_e2e_redis_${Date.now()}_${process.pid}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  // one first, so the migrations run once
  const a = startPostgresInstance(SPARE_APP_PORT, url.toString(), testInfo.outputPath("instance-a.log"), INSTANCE_ENV);
  let b: ChildProcess | null = null;
  let late: ReturnType<typeof follow> | null = null;
  try {
    await waitHealthy(A);
    b = startPostgresInstance(
      SECOND_SPARE_APP_PORT,
      url.toString(),
      testInfo.outputPath("instance-b.log"),
      INSTANCE_ENV,
    );
    await waitHealthy(B);
    api = withCookie(await guestOn(A, page.context()));
    const created = await api(`${A}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" }),
    });
    expect(created.status).toBe(201);
    const { session } = (await created.json()) as { session: { id: string } };

    await page.goto(`${B}/s/${session.id}`);
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    const started = await api(`${A}/api/sessions/${session.id}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(started.status).toBe(202);

    // B's page streams A's run as it happens
    await expect(rows(page, /Thinking/).first()).toContainText("The task asks for a sum function");
    // a second viewer joins on B mid-run, while the database lags the live steps
    late = follow(B, session.id);
    const viewer = late;
    await expect(runStatus(page)).toContainText("Done", { timeout: 60_000 });
    await expect(rows(page, /write_file/)).toHaveCount(2);
    await expect(rows(page, /Response/)).toContainText("Summary");

    const stored = await storedSteps(A, session.id);
    await expect
      .poll(() => [...(viewer.view.state?.steps.values() ?? [])].filter((s) => s.status === "streaming").length)
      .toBe(0);
    const seen = new Map([...(viewer.view.state?.steps.values() ?? [])].map((step) => [step.id, step]));
    expect(stored.length).toBeGreaterThan(4);
    for (const step of stored) {
      expect(seen.get(step.id), `step ${step.kind}`).toMatchObject({ status: step.status, content: step.content });
    }
    expect(seen.size).toBe(stored.length);
    // the page on B shows the stored answer (its last line, as rendered from Markdown)
    const answer = stored.filter((step) => step.kind === "text").at(-1);
    const lastLine = (answer?.content ?? "").trim().split("\n").at(-1)?.replace(/[`*#]/g, "");
    expect(lastLine).toBeTruthy();
    await expect(page.locator(`[data-step-id="${answer?.id}"]`)).toContainText(lastLine ?? "");

    // Stop on B, for a run on A whose reply stalls a few words in
    const stalled = await api(`${A}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ task: "Write a sum function [emulator:fault=stall@8]", modelId: "MiniMax-M2" }),
    });
    const second = ((await stalled.json()) as { session: { id: string } }).session.id;
    await page.goto(`${B}/s/${second}`);
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    const run = await api(`${A}/api/sessions/${second}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(run.status).toBe(202);
    await expect(rows(page, /Thinking/).first()).toContainText("The task asks");
    await page.getByRole("button", { name: "Stop" }).click();
    await expect(runStatus(page)).toContainText("Stopped", { timeout: 5_000 });
  } finally {
    late?.stop();
    await late?.done.catch(() => {});
    await killServer(a);
    if (b) await killServer(b);
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  }
});
