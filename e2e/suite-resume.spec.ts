import type { ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import type { SuiteRunResponse } from "../lib/wire/suites";
import { guestOn, withCookie } from "./auth";
import { SCRIPTED_SUITE_TASKS, setFault } from "./helpers";
import { SECOND_SPARE_APP_PORT, SPARE_APP_PORT } from "./ports";
import { ADMIN_URL, fetchJson, killServer, sql, startPostgresInstance, waitHealthy } from "./servers";

/** fetch() as this test's guest on the servers it starts (e2e/auth.ts) */
let api: typeof fetch = fetch;

/**
 * kill -9 of the instance executing a suite run, with a second instance on the same
 * PostgreSQL and the default lease: the survivor takes the suite run over within 30 s,
 * resumes the task whose run the kill cut off (in that task's own session, from its last
 * complete step), runs the queued one, and the report counts each task once. Its page says
 * it was resumed.
 */

const A = `http://127.0.0.1:${SPARE_APP_PORT}`;
const B = `http://127.0.0.1:${SECOND_SPARE_APP_PORT}`;

const json = <T>(url: string, init?: RequestInit) => fetchJson<T>(api, url, init);

test("kill -9 of the instance running a suite run: the other takes it over within 30 s and resumes it, each task counted once", async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const name = `interleave_e2e_suite_resume_${Date.now()}_${process.pid}`;
  await sql(ADMIN_URL, `CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const a = startPostgresInstance(SPARE_APP_PORT, url.toString(), testInfo.outputPath("instance-a.log"));
  let b: ChildProcess | null = null;
  try {
    await waitHealthy(A);
    b = startPostgresInstance(SECOND_SPARE_APP_PORT, url.toString(), testInfo.outputPath("instance-b.log"));
    await waitHealthy(B);
    api = withCookie(await guestOn(A, page.context()));

    // the first task's first reply stops a few words in and never resumes: A is mid-task when it dies
    await setFault(page, { type: "stall", afterChunks: 8, times: 1 });
    const { suiteRun } = await json<SuiteRunResponse>(`${A}/api/suite-runs`, {
      method: "POST",
      body: JSON.stringify({
        suite: { name: "Resumed after a kill", tasks: SCRIPTED_SUITE_TASKS },
        modelIds: ["MiniMax-M2"],
        concurrency: 1,
      }),
    });
    const cutSession = async () => {
      const [row] = await sql<{ sessionId: string | null }>(
        url.toString(),
        `SELECT "results"->0->>'sessionId' AS "sessionId" FROM "SuiteRun" WHERE "id" = $1`,
        [suiteRun.id],
      );
      return row?.sessionId ?? null;
    };
    // the streamed words are written (within 250 ms) before A dies
    await expect
      .poll(
        async () =>
          (
            await sql<{ n: number }>(
              url.toString(),
              `SELECT count(*)::int AS "n" FROM "Step" WHERE "sessionId" = $1 AND "kind" = 'thinking' AND "content" <> ''`,
              [(await cutSession()) ?? ""],
            )
          )[0]?.n,
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    await killServer(a);
    const killedAt = Date.now();

    const report = () => json<SuiteRunResponse>(`${B}/api/suite-runs/${suiteRun.id}`);
    await expect.poll(async () => (await report()).suiteRun.resumeCount, { timeout: 45_000 }).toBe(1);
    const tookOverMs = Date.now() - killedAt;
    console.log(`taken over ${tookOverMs} ms after the kill`);
    expect(tookOverMs).toBeLessThan(30_000);

    await expect.poll(async () => (await report()).suiteRun.status, { timeout: 120_000 }).toBe("done");
    const { suiteRun: ended, report: counted } = await report();
    expect(ended.results.map((result) => [result.taskId, result.status])).toEqual([
      ["sum", "passed"],
      ["fizzbuzz", "failed"],
    ]);
    expect(counted.total).toMatchObject({ graded: 2, passed: 1, passAt1: 0.5 });
    expect(counted.progress).toEqual({ done: 2, total: 2 });
    // the cut task went on in its own session: the killed run, then the one resumed from the task
    const sessionId = await cutSession();
    expect(ended.results[0]?.sessionId).toBe(sessionId);
    const { runs } = await json<{ runs: { status: string; errorCode: string | null }[] }>(
      `${B}/api/sessions/${sessionId}/runs`,
    );
    expect(runs.map((run) => [run.status, run.errorCode])).toEqual([
      ["failed", "unavailable:server_stopped"],
      ["done", null],
    ]);

    await page.goto(`${B}/suites/${suiteRun.id}`);
    await expect(page.getByRole("status", { name: "Suite run status" })).toHaveText(
      "Done · resumed once after its server stopped",
    );
    await expect(page.getByRole("progressbar", { name: "Tasks finished" })).toHaveAttribute("aria-valuenow", "2");
  } finally {
    await killServer(a);
    if (b) await killServer(b);
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  }
});
