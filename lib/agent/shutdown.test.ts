import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "vitest";
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
