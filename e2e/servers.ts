import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { expect } from "@playwright/test";
import pg from "pg";
import { EMULATOR } from "./helpers";

/**
 * App servers a test starts itself (a second instance, a server to kill -9), next to the one
 * Playwright starts. They are spawned `detached`, so the pid is a process group: `next start`
 * and its children die together.
 */

/** Waits until `${base}/api/health` answers 200 (timeout in ms). */
export async function waitHealthy(base: string, timeout = 90_000): Promise<void> {
  await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout }).toBe(200);
}

/** SIGKILLs the server's process group (as a crash would) and waits for it to exit; a no-op once it has. */
export async function killServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  if (server.pid) process.kill(-server.pid, "SIGKILL");
  await exited;
}

/** The PostgreSQL server the e2e tests make their own databases on (the local trust-auth cluster by default). */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * An instance of the app on `port` over `databaseUrl` (PostgreSQL), talking to the e2e
 * emulator, logging to `logPath`, with the default run lease said out loud (a test's "within
 * 30 s" depends on it); `env` adds or overrides variables (REDIS_URL, a shorter lease).
 * Detached: `killServer` kills it as a crash would.
 */
export function startPostgresInstance(
  port: number,
  databaseUrl: string,
  logPath: string,
  env: Record<string, string> = {},
): ChildProcess {
  const log = openSync(logPath, "a");
  return spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    detached: true, // its own process group, killed as a whole
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MINIMAX_API_KEY: "e2e-test-key",
      MINIMAX_BASE_URL: EMULATOR,
      MINIMAX_API: "anthropic",
      MODEL_STALL_TIMEOUT_MS: "120000",
      RUN_LEASE_MS: "20000",
      ...env,
    },
  });
}

/** `url`'s JSON through `fetcher` (a test's signed-in fetch), failing the test unless it answers 2xx. */
export async function fetchJson<T>(fetcher: typeof fetch, url: string, init?: RequestInit): Promise<T> {
  const response = await fetcher(url, { ...init, headers: { "content-type": "application/json" } });
  expect(response.ok, `${init?.method ?? "GET"} ${url}`).toBe(true);
  return (await response.json()) as T;
}

/** One statement on `connectionString` (the server, or a test's database), its rows back. */
export async function sql<Row>(connectionString: string, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Row[];
  } finally {
    await client.end();
  }
}
