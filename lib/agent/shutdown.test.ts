import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "vitest";
import { processState } from "@/lib/process-state";
import type { EventBus } from "@/lib/realtime/bus";
import { trackTestRun } from "./active-runs";
import { installGracefulShutdown, isTestRunRequest } from "./shutdown";

test("isTestRunRequest: a POST to a session's test-runs, and nothing else", () => {
  expect(isTestRunRequest("POST", "/api/sessions/abc/test-runs")).toBe(true);
  expect(isTestRunRequest("POST", "/api/sessions/abc/test-runs/")).toBe(true);
  expect(isTestRunRequest("POST", "/api/sessions/abc/test-runs?x=1")).toBe(true);
  expect(isTestRunRequest("GET", "/api/sessions/abc/test-runs")).toBe(false);
  expect(isTestRunRequest("POST", "/api/sessions/abc/runs")).toBe(false);
  expect(isTestRunRequest("POST", "/api/sessions/abc/test-runs/more")).toBe(false);
  expect(isTestRunRequest("POST", "/api/sessions/a/b/test-runs")).toBe(false);
  expect(isTestRunRequest("POST", undefined)).toBe(false);
});

/**
 * SIGTERM while a person's Run tests is going, over real HTTP: the process exits only once
 * the answer has been written, not when the test run's work settles. Next writes a route's
 * Response to the socket some ticks after the handler returns (here: 100 ms later), and
 * exiting in between gave the person an empty reply (curl: "Empty reply from server").
 */
test("on SIGTERM the server exits only after a test run's answer has been sent", async () => {
  let response: ServerResponse | undefined;
  let started: () => void = () => {};
  const inSandbox = new Promise<void>((resolve) => {
    started = resolve;
  });
  const server = createServer((_request, res) => {
    response = res;
    void (async () => {
      const report = await trackTestRun(async () => {
        started();
        await sleep(300); // in the sandbox
        return { passed: 1 };
      });
      await sleep(100); // the framework turning the route's Response into bytes on the socket
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(report));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const exits: { code: number; answerSent: boolean }[] = [];
  const uninstall = installGracefulShutdown((code) =>
    exits.push({ code, answerSent: response?.writableFinished === true }),
  );
  try {
    const { port } = server.address() as AddressInfo;
    const answer = fetch(`http://127.0.0.1:${port}/api/sessions/s1/test-runs`, { method: "POST", body: "{}" });
    await inSandbox;
    process.emit("SIGTERM");
    const answered = await answer;
    expect(answered.status).toBe(201);
    expect(await answered.json()).toEqual({ passed: 1 });
    await expect.poll(() => exits).toEqual([{ code: 143, answerSent: true }]);
  } finally {
    uninstall();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * The runs' ends a stopping instance publishes reach the other instances through the bus
 * (Redis), which sends what one tick published on the next: exiting in the same tick, as a
 * stop with no viewer of its own did, lost them. Tried on next start, two instances, a viewer
 * on B of a run on A, SIGTERM to A: the run was recorded failed but B's viewer was never told
 * and showed it running.
 */
test("on SIGTERM the server exits only after the bus has sent what was published", async () => {
  const previous = processState().sessionBus;
  let flushed = false;
  processState().sessionBus = {
    flush: async () => {
      await sleep(100);
      flushed = true;
    },
  } as unknown as EventBus;
  const exits: { code: number; flushed: boolean }[] = [];
  const uninstall = installGracefulShutdown((code) => exits.push({ code, flushed }));
  try {
    process.emit("SIGTERM");
    await expect.poll(() => exits).toEqual([{ code: 143, flushed: true }]);
  } finally {
    uninstall();
    processState().sessionBus = previous;
  }
});
