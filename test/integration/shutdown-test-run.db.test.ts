import { expect, test } from "vitest";
import { installGracefulShutdown } from "@/lib/agent/shutdown";
import { slowTestSession } from "./slow-test-session";

/**
 * SIGTERM while a person's Run tests is going: the server lets it finish and answer (the
 * report and its step) before it exits, and refuses a new one meanwhile with a 503.
 */
test("on SIGTERM a test run going finishes and answers before the server exits; a new one is refused", async () => {
  const { run } = await slowTestSession();
  // Pyodide's snapshot is made by the first Python run of a process: not part of what is measured here
  expect((await run()).status).toBe(201);

  const going = run();
  await new Promise((resolve) => setTimeout(resolve, 500)); // in the sandbox, sleeping
  const exits: number[] = [];
  const uninstall = installGracefulShutdown((code) => exits.push(code));
  try {
    process.emit("SIGTERM");
    const refused = await run();
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe("unavailable:shutdown");
    expect(exits).toEqual([]);
    const answered = await going;
    expect(answered.status).toBe(201);
    expect(answered.json.report.counts).toMatchObject({ passed: 1, total: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([143]);
  } finally {
    uninstall();
  }
}, 60_000);
