import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { guestOn, withCookie } from "./auth";
import { EMULATOR, rows } from "./helpers";
import { SPARE_APP_PORT } from "./ports";

/** fetch() as this test's guest on the server it starts (e2e/auth.ts) */
let api: typeof fetch = fetch;

/**
 * Stopping the server the way a deploy does: SIGTERM to `npm start` (the README's start
 * command, which hands signals to instrumentation.ts). The run going at that moment must
 * record that the server stopped — not be left "running", and not be found abandoned by
 * the next start — and keep what it streamed.
 */

const PORT = SPARE_APP_PORT;
const BASE = `http://127.0.0.1:${PORT}`;

function startServer(dataDir: string): ChildProcess {
  return spawn("npm", ["start", "--", "-p", String(PORT), "-H", "127.0.0.1"], {
    detached: true, // its own process group, signalled as a whole like a container's
    stdio: "ignore",
    env: {
      ...process.env,
      DATABASE_URL: "",
      DATA_DIR: dataDir,
      MINIMAX_API_KEY: "e2e-test-key",
      MINIMAX_BASE_URL: EMULATOR,
      MINIMAX_API: "anthropic",
      MODEL_STALL_TIMEOUT_MS: "60000",
    },
  });
}

async function healthy(): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${BASE}/api/health`).catch(() => null))?.status, { timeout: 60_000 })
    .toBe(200);
}

async function stop(server: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  if (server.pid) process.kill(-server.pid, signal);
  await exited;
}

test("SIGTERM mid-run: the run ends as stopped by the server, its steps kept, and Retry is offered", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "interleave-shutdown-"));
  let server = startServer(dataDir);
  try {
    await healthy();
    api = withCookie(await guestOn(BASE, page.context()));
    // The reply stops a few words in and never resumes: the run is mid-step when the signal comes.
    const created = await api(`${BASE}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ task: "Write a sum function [emulator:fault=stall@8]", modelId: "MiniMax-M2" }),
    });
    const { session } = (await created.json()) as { session: { id: string } };
    await page.goto(`${BASE}/s/${session.id}`);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(rows(page, /Thinking/).first()).toContainText("The task asks");

    await stop(server, "SIGTERM");

    server = startServer(dataDir);
    await healthy();
    const runs = (await (await api(`${BASE}/api/sessions/${session.id}/runs`)).json()) as {
      runs: { status: string; errorCode: string | null }[];
    };
    expect(runs.runs).toEqual([expect.objectContaining({ status: "failed", errorCode: "unavailable:shutdown" })]);

    await page.goto(`${BASE}/s/${session.id}`);
    await expect(page.getByRole("alert").filter({ hasText: "The run failed." })).toContainText(
      "The server restarted while this run was going",
    );
    await expect(rows(page, /Thinking/).first()).toContainText("The task asks");
    await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  } finally {
    await stop(server, "SIGKILL").catch(() => {});
  }
});

/** The pids of `pid`'s descendants (Linux `ps`). */
function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  for (let parents = [pid]; parents.length > 0; ) {
    const children = rows.filter(([, ppid]) => parents.includes(ppid ?? -1)).map(([child]) => child ?? -1);
    found.push(...children);
    parents = children;
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The sandbox host processes among `pid`'s descendants. */
function sandboxHosts(pid: number): number[] {
  return descendants(pid).filter((child) =>
    execFileSync("ps", ["-o", "args=", "-p", String(child)], { encoding: "utf8" }).includes("host.mjs"),
  );
}

test("a server loads its sandbox's interpreters as it starts, so the first test run doesn't wait for them", async () => {
  test.setTimeout(90_000);
  const server = startServer(mkdtempSync(path.join(tmpdir(), "interleave-warm-")));
  try {
    await healthy();
    // no test run asked for: the host is there, loading the warm workers (SANDBOX_WARM_WORKERS)
    await expect.poll(() => sandboxHosts(server.pid ?? 0), { timeout: 30_000 }).toHaveLength(1);
  } finally {
    await stop(server, "SIGKILL");
  }
});

test("SIGTERM to npm alone (docker stop, kill <pid>): the server and its sandbox host exit, none left running", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const server = startServer(mkdtempSync(path.join(tmpdir(), "interleave-shutdown-")));
  try {
    await healthy();
    api = withCookie(await guestOn(BASE, page.context()));
    const form = new FormData();
    form.append("task", "Run the tests");
    form.append("modelId", "MiniMax-M2");
    form.append("file", new Blob(["def test_ok():\n    assert True\n"]), "test_ok.py");
    form.append("path", "test_ok.py");
    const { session } = (await (await api(`${BASE}/api/sessions`, { method: "POST", body: form })).json()) as {
      session: { id: string; activeLeafId: string };
    };
    const ran = await api(`${BASE}/api/sessions/${session.id}/test-runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ afterStepId: session.activeLeafId }),
    });
    expect(ran.status).toBe(201);
    const pid = server.pid ?? 0;
    const started = descendants(pid);
    expect(sandboxHosts(pid)).toHaveLength(1);

    const exited = new Promise((resolve) => server.once("exit", resolve));
    process.kill(pid, "SIGTERM"); // npm only, not its process group
    await exited;
    await expect.poll(() => started.filter(alive), { timeout: 20_000 }).toEqual([]);
  } finally {
    try {
      if (server.pid) process.kill(-server.pid, "SIGKILL"); // whatever of the group is left
    } catch {
      // the group is gone
    }
  }
});
