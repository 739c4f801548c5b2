import { expect, test } from "@playwright/test";
import pg from "pg";
import { guestOn, withCookie } from "./auth";
import { rows, setFault } from "./helpers";
import { SPARE_APP_PORT } from "./ports";
import { ADMIN_URL, killServer, startPostgresInstance, waitHealthy } from "./servers";

/** fetch() as this test's guest on the server it starts (e2e/auth.ts) */
let api: typeof fetch = fetch;

/**
 * kill -9 of the app mid-run on PostgreSQL: nothing records how the run ended. The next
 * server to start on that database finishes it as stopped by the server within the
 * lease (RUN_LEASE_MS, short here), keeps its steps, and Retry resumes the session.
 */

const PORT = SPARE_APP_PORT;
const BASE = `http://127.0.0.1:${PORT}`;
const LEASE_MS = 3_000;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

type Run = { id: string; status: string; errorCode: string | null; errorMessage: string | null };

async function runsOf(sessionId: string): Promise<Run[]> {
  return ((await (await api(`${BASE}/api/sessions/${sessionId}/runs`)).json()) as { runs: Run[] }).runs;
}

test("kill -9 mid-run on PostgreSQL: a restarted server finishes the run as stopped within the lease, and Retry works", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const name = `interleave_e2e_lease_${Date.now()}_${process.pid}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  /** a server on the test's database with a short lease; its output kept with the test's results */
  const startServer = () =>
    startPostgresInstance(PORT, url.toString(), testInfo.outputPath("server.log"), {
      MODEL_STALL_TIMEOUT_MS: "60000",
      RUN_LEASE_MS: String(LEASE_MS),
    });
  let server = startServer();
  try {
    await waitHealthy(BASE, 60_000);
    api = withCookie(await guestOn(BASE, page.context()));
    const created = await api(`${BASE}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" }),
    });
    const { session } = (await created.json()) as { session: { id: string } };
    // the first reply stops a few words in and never resumes: the run is mid-step at the kill
    await setFault(page, { type: "stall", afterChunks: 8, times: 1 });
    await page.goto(`${BASE}/s/${session.id}`);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(rows(page, /Thinking/).first()).toContainText("The task asks");
    // the streamed text is in the database (written within 250 ms) before the process dies
    await page.waitForTimeout(1_000);

    await killServer(server);
    const killedAt = Date.now();
    server = startServer();
    await waitHealthy(BASE, 60_000);
    await expect
      .poll(async () => (await runsOf(session.id))[0]?.status, { timeout: LEASE_MS * 3 + 5_000 })
      .toBe("failed");
    const [run] = await runsOf(session.id);
    expect(run).toMatchObject({ errorCode: "unavailable:server_stopped" });
    console.log(`finished as stopped ${Date.now() - killedAt} ms after the kill (lease ${LEASE_MS} ms)`);

    await page.goto(`${BASE}/s/${session.id}`);
    const failure = page.getByRole("alert").filter({ hasText: "The run failed." });
    await expect(failure).toContainText("The server running this run stopped");
    await expect(rows(page, /Thinking/).first()).toContainText("The task asks");
    await failure.getByRole("button", { name: "Retry" }).click();
    await expect.poll(async () => (await runsOf(session.id)).at(-1)?.status, { timeout: 60_000 }).toBe("done");
    expect(await runsOf(session.id)).toHaveLength(2);
  } finally {
    await killServer(server).catch(() => {});
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => {});
  }
});
