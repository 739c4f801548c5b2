import type { ChildProcess } from "node:child_process";
import { expect } from "@playwright/test";

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
