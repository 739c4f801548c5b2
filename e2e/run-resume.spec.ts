import type { ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import type { RecordedRequest } from "../lib/model/emulator/types";
import { guestOn, withCookie } from "./auth";
import { EMULATOR, runStatus, setFault } from "./helpers";
import { SECOND_SPARE_APP_PORT, SPARE_APP_PORT } from "./ports";
import { ADMIN_URL, fetchJson, killServer, sql, startPostgresInstance, waitHealthy } from "./servers";

/** fetch() as this test's guest on the servers it starts (e2e/auth.ts) */
let api: typeof fetch = fetch;

/**
 * kill -9 of the instance executing a run, with a second instance on the same PostgreSQL
 * and the default lease: the survivor notices within 30 s, finishes the run as stopped by
 * the server with every streamed step kept, and — the session allowing it — resumes it
 * from the last complete step. The emulator's record of what the model was sent matches
 * the stored steps: none lost, none sent or stored twice.
 */

const A = `http://127.0.0.1:${SPARE_APP_PORT}`;
const B = `http://127.0.0.1:${SECOND_SPARE_APP_PORT}`;

type Run = {
  id: string;
  status: string;
  errorCode: string | null;
  fromStepId: string | null;
  resumesRunId: string | null;
  resumedByRunId?: string | null;
};
type Step = {
  id: string;
  parentId: string | null;
  kind: string;
  status: string;
  content: string;
  runId: string | null;
};

const json = <T>(url: string, init?: RequestInit) => fetchJson<T>(api, url, init);

test("kill -9 of the instance running a run: the other notices within 30 s and resumes it, no step lost or twice", async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const name = `interleave_e2e_resume_${Date.now()}_${process.pid}`;
  await sql(ADMIN_URL, `CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  /** the session's steps as the database holds them */
  const stored = (sessionId: string) =>
    sql<Step>(
      url.toString(),
      `SELECT "id", "parentId", "kind", "status", "content", "runId" FROM "Step" WHERE "sessionId" = $1`,
      [sessionId],
    );
  const a = startPostgresInstance(SPARE_APP_PORT, url.toString(), testInfo.outputPath("instance-a.log"));
  let b: ChildProcess | null = null;
  try {
    await waitHealthy(A);
    b = startPostgresInstance(SECOND_SPARE_APP_PORT, url.toString(), testInfo.outputPath("instance-b.log"));
    await waitHealthy(B);
    api = withCookie(await guestOn(A, page.context()));
    const marker = `resume-${Date.now()}`;
    const { session } = await json<{ session: { id: string; activeLeafId: string } }>(`${A}/api/sessions`, {
      method: "POST",
      body: JSON.stringify({ task: `Write a sum function (${marker}) [emulator:scenario=sum]`, modelId: "MiniMax-M2" }),
    });
    await json(`${A}/api/sessions/${session.id}`, {
      method: "PATCH",
      body: JSON.stringify({ resumeInterrupted: true }),
    });

    // the first reply stops a few words in and never resumes: A's run is mid-step when A dies
    await setFault(page, { type: "stall", afterChunks: 8, times: 1 });
    const { run } = await json<{ run: Run }>(`${A}/api/sessions/${session.id}/runs`, { method: "POST", body: "{}" });
    // the streamed words are written (within 250 ms) before A dies
    await expect
      .poll(async () => (await stored(session.id)).some((step) => step.kind === "thinking" && step.content !== ""), {
        timeout: 30_000,
      })
      .toBe(true);
    await killServer(a);
    const killedAt = Date.now();

    const runs = async () => (await json<{ runs: Run[] }>(`${B}/api/sessions/${session.id}/runs`)).runs;
    await expect
      .poll(async () => (await runs()).find((r) => r.id === run.id)?.status, { timeout: 45_000 })
      .toBe("failed");
    const noticedMs = Date.now() - killedAt;
    console.log(`noticed ${noticedMs} ms after the kill`);
    expect(noticedMs).toBeLessThan(30_000);
    expect((await runs()).find((r) => r.id === run.id)?.errorCode).toBe("unavailable:server_stopped");

    // B resumed it from the last complete step (the task: the first thinking was cut) and finished
    await expect.poll(async () => (await runs()).at(-1)?.status, { timeout: 90_000 }).toBe("done");
    const all = await runs();
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ fromStepId: session.activeLeafId, resumesRunId: run.id, resumedByRunId: null });
    expect(all[0]?.resumedByRunId).toBe(all[1]?.id);
    // the page says the run on screen continues one whose server stopped
    await page.goto(`${B}/s/${session.id}`);
    await expect(runStatus(page)).toContainText("resumed after its server stopped");

    const steps = await stored(session.id);
    const [after] = await sql<{ activeLeafId: string }>(
      url.toString(),
      `SELECT "activeLeafId" FROM "Session" WHERE "id" = $1`,
      [session.id],
    );
    const byId = new Map(steps.map((step) => [step.id, step]));
    const branch: Step[] = [];
    for (
      let step = byId.get(after?.activeLeafId ?? "");
      step;
      step = step.parentId ? byId.get(step.parentId) : undefined
    ) {
      branch.unshift(step);
    }
    // the dead run's streamed thinking is kept, interrupted, beside the branch
    const cut = steps.filter((step) => step.runId === run.id);
    expect(cut.map((step) => [step.kind, step.status])).toEqual([["thinking", "interrupted"]]);
    expect(cut[0]?.content).toContain("The task asks");
    expect(branch.map((step) => step.id)).not.toContain(cut[0]?.id);
    expect(branch.every((step) => step.status === "done")).toBe(true);

    // what the model was sent, against what is stored: one cut request on A, then B's turns, each replaying
    // exactly the stored turns before it — no turn lost, none sent or stored twice
    const record = (await (await fetch(`${EMULATOR}/__emulator/requests`)).json()) as RecordedRequest[];
    const sent = record.filter((request) => JSON.stringify(request.body).includes(marker));
    const thinking = branch.filter((step) => step.kind === "thinking").map((step) => step.content);
    expect(sent[0]?.fault).toMatchObject({ type: "stall" });
    const resumed = sent.slice(1);
    expect(resumed).toHaveLength(thinking.length);
    resumed.forEach((request, i) => {
      expect(request.replay.problems).toEqual([]);
      expect(request.replay.assistantTurns).toBe(i);
      expect(request.replay.thinkingByTurn).toEqual(thinking.slice(0, i));
    });
    expect(new Set(steps.map((step) => step.id)).size).toBe(steps.length);
  } finally {
    await killServer(a);
    if (b) await killServer(b);
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  }
});
