import { beforeEach, describe, expect, test } from "vitest";
import * as cancelRoute from "@/app/api/suite-runs/[id]/cancel/route";
import * as oneRoute from "@/app/api/suite-runs/[id]/route";
import * as suiteRunsRoute from "@/app/api/suite-runs/route";
import * as suitesRoute from "@/app/api/suites/route";
import { getDatabase } from "@/lib/db/client";
import { waitForSuiteRun } from "@/lib/suites/runner";
import { callRoute } from "../api";
import { emulatorForFile } from "./emulator-env";
import { TASKS } from "./suite-tasks";

/**
 * A suite run end to end: real routes → a session per task and model → the run loop → the
 * MiniMax wire emulator (scripted turns chosen by each prompt's scenario marker) → the hidden
 * tests in the sandbox → pass@1 checked against values computed by hand.
 */

const emulator = emulatorForFile({ OFFLINE_DEMO_CHUNK_DELAY_MS: "0", MODEL_STALL_TIMEOUT_MS: "5000" });
beforeEach(() => emulator().reset());

/** `count` HumanEval lines whose prompts hold `padding` characters of docstring each. */
function bigJsonl(count: number, padding: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      task_id: `Big/${i}`,
      prompt: `def f${i}(x):\n    """${"x".repeat(padding)}"""\n`,
      test: "def check(candidate):\n    assert candidate(1) == 1\n",
      entry_point: `f${i}`,
    }),
  ).join("\n");
}

async function start(body: unknown) {
  return callRoute(suiteRunsRoute.POST, { method: "POST", body });
}

describe("suite runs", () => {
  test("every task runs on every model as a session, graded by its hidden tests; pass@1 as computed by hand", async () => {
    const started = await start({
      suite: { name: "three tasks", tasks: TASKS },
      modelIds: ["MiniMax-M2", "offline-demo"],
      concurrency: 3,
    });
    expect(started.status).toBe(202);
    expect(started.json.suiteRun.status).toBe("running");
    expect(started.json.suiteRun.results).toHaveLength(6);
    expect(JSON.stringify(started.json)).not.toContain("hidden_sum.test.ts"); // hidden tests stay hidden

    await waitForSuiteRun(started.json.suiteRun.id);
    const { status, json } = await callRoute(oneRoute.GET, { params: { id: started.json.suiteRun.id } });
    expect(status).toBe(200);
    const { suiteRun, report } = json;
    expect(suiteRun.status).toBe("done");
    const outcome = Object.fromEntries(
      suiteRun.results.map((r: { taskId: string; modelId: string; status: string }) => [
        `${r.modelId}/${r.taskId}`,
        r.status,
      ]),
    );
    expect(outcome).toEqual({
      "MiniMax-M2/sum": "passed",
      "MiniMax-M2/fizzbuzz": "failed",
      "MiniMax-M2/roman": "passed",
      "offline-demo/sum": "passed",
      "offline-demo/fizzbuzz": "failed",
      "offline-demo/roman": "passed",
    });
    // by hand: 2 of 3 tasks pass on each model; 4 of 6 samples in all
    expect(report.models.map((m: { passAt1: number }) => m.passAt1)).toEqual([2 / 3, 2 / 3]);
    expect(report.total).toMatchObject({ graded: 6, passed: 4, passAt1: 4 / 6 });
    expect(report.progress).toEqual({ done: 6, total: 6 });

    const fizz = suiteRun.results.find((r: { taskId: string }) => r.taskId === "fizzbuzz");
    expect(fizz).toMatchObject({ testsPassed: 1, testsTotal: 2, runStatus: "done" });
    expect(fizz.message).toMatch(/refuses a negative count/);
    const { prisma } = await getDatabase();
    for (const result of suiteRun.results) {
      expect(result.outputTokens).toBeGreaterThan(0);
      expect(result.totalMs).toBeGreaterThanOrEqual(result.firstTokenMs);
      const session = await prisma.session.findUnique({ where: { id: result.sessionId } });
      expect(session?.modelId).toBe(result.modelId);
    }
    expect(report.models[0].costUsd).toBeGreaterThan(0); // MiniMax-M2 is priced, the demo is free
    expect(report.models[1].costUsd).toBe(0);

    const list = await callRoute(suiteRunsRoute.GET, {});
    expect(list.json.suiteRuns[0].id).toBe(suiteRun.id);
  }, 120_000);

  test("Stop cancels the running session and skips the rest", async () => {
    emulator().setFault({ type: "stall", afterChunks: 3, times: 5 });
    const started = await start({ suite: "builtin", modelIds: ["MiniMax-M2"], concurrency: 1 });
    expect(started.status).toBe(202);
    const id = started.json.suiteRun.id;
    for (let i = 0; i < 100; i++) {
      const { json } = await callRoute(oneRoute.GET, { params: { id } });
      if (json.suiteRun.results[0].status === "running") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stopped = await callRoute(cancelRoute.POST, { method: "POST", params: { id } });
    expect(stopped.status).toBe(200);
    expect(stopped.json.suiteRun.status).toBe("cancelled");
    expect(stopped.json.suiteRun.results.every((r: { status: string }) => r.status === "cancelled")).toBe(true);
    expect(stopped.json.report.progress).toEqual({ done: 20, total: 20 });
    const { prisma } = await getDatabase();
    const run = await prisma.run.findFirst({ where: { sessionId: stopped.json.suiteRun.results[0].sessionId } });
    expect(run?.status).toBe("cancelled");
  }, 60_000);

  test("a suite run a restart ended as failed shows its unfinished tasks as cancelled, not running forever", async () => {
    const started = await start({ suite: "builtin", modelIds: ["MiniMax-M2"], taskIds: ["py/fizzbuzz", "py/two_sum"] });
    await waitForSuiteRun(started.json.suiteRun.id);
    const { prisma } = await getDatabase();
    const ended = await prisma.suiteRun.findUniqueOrThrow({ where: { id: started.json.suiteRun.id } });
    // as the embedded database's next open leaves a suite run its server was executing:
    // the run marked failed, its results as last saved
    const [first, second] = ended.results as { status: string }[];
    const { id } = await prisma.suiteRun.create({
      data: {
        workspaceId: ended.workspaceId,
        suiteName: ended.suiteName,
        modelIds: ["MiniMax-M2"],
        concurrency: 2,
        status: "failed",
        finishedAt: new Date(),
        tasks: ended.tasks as object[],
        results: [
          { ...first, status: "running", message: null },
          { ...second, status: "queued", message: null },
        ],
      },
    });
    const { json } = await callRoute(oneRoute.GET, { params: { id } });
    expect(json.suiteRun.status).toBe("failed");
    expect(json.suiteRun.results.map((r: { status: string }) => r.status)).toEqual(["cancelled", "cancelled"]);
    expect(json.suiteRun.results[0].message).toMatch(/server restarted/);
    expect(json.report.progress).toEqual({ done: 2, total: 2 });
  }, 60_000);

  test("Stop on a suite run another instance executes ends it from here, instead of leaving it to that instance", async () => {
    const started = await start({ suite: "builtin", modelIds: ["MiniMax-M2"], taskIds: ["py/fizzbuzz"] });
    await waitForSuiteRun(started.json.suiteRun.id);
    const { prisma } = await getDatabase();
    const ended = await prisma.suiteRun.findUniqueOrThrow({ where: { id: started.json.suiteRun.id } });
    const [done] = ended.results as { status: string; sessionId: string }[];
    // as another instance's suite run looks from here: running there (its lease valid, so no
    // heartbeat takes it over), one task going, one queued
    const { id } = await prisma.suiteRun.create({
      data: {
        workspaceId: ended.workspaceId,
        suiteName: ended.suiteName,
        modelIds: ["MiniMax-M2"],
        concurrency: 1,
        status: "running",
        ownerId: "another-instance",
        leaseExpiresAt: new Date(Date.now() + 600_000),
        tasks: ended.tasks as object[],
        results: [
          { ...done, status: "running", message: null },
          { ...done, status: "queued", sessionId: null },
        ],
      },
    });
    const stopped = await callRoute(cancelRoute.POST, { method: "POST", params: { id } });
    expect(stopped.status).toBe(200);
    expect(stopped.json.suiteRun.status).toBe("cancelled");
    expect(stopped.json.suiteRun.results.map((r: { status: string }) => r.status)).toEqual(["cancelled", "cancelled"]);
    expect(stopped.json.report.progress).toEqual({ done: 2, total: 2 });
  }, 60_000);

  test("a person has at most 2 suite runs going at once; the third is a 429 until one ends", async () => {
    emulator().setFault({ type: "stall", afterChunks: 3, times: 10 });
    const one = { suite: "builtin", modelIds: ["MiniMax-M2"], taskIds: ["py/fizzbuzz"] };
    const first = await start(one);
    const second = await start(one);
    expect([first.status, second.status]).toEqual([202, 202]);
    const third = await start(one);
    expect(third.status).toBe(429);
    expect(third.json.error.code).toBe("rate_limit:suite_runs");
    await callRoute(cancelRoute.POST, { method: "POST", params: { id: first.json.suiteRun.id } });
    await waitForSuiteRun(first.json.suiteRun.id);
    const fourth = await start(one);
    expect(fourth.status).toBe(202);
    for (const { json } of [second, fourth]) {
      await callRoute(cancelRoute.POST, { method: "POST", params: { id: json.suiteRun.id } });
      await waitForSuiteRun(json.suiteRun.id);
    }
  }, 60_000);

  test("the limit counts the person's suite runs running on every instance; of two starts at once with one place left, one is refused", async () => {
    emulator().setFault({ type: "stall", afterChunks: 3, times: 10 });
    const one = { suite: "builtin", modelIds: ["MiniMax-M2"], taskIds: ["py/fizzbuzz"] };
    const mine = await start(one);
    expect(mine.status).toBe(202);
    const { prisma } = await getDatabase();
    const row = await prisma.suiteRun.findUniqueOrThrow({ where: { id: mine.json.suiteRun.id } });
    expect(row.createdById).not.toBeNull();
    await callRoute(cancelRoute.POST, { method: "POST", params: { id: row.id } });
    await waitForSuiteRun(row.id);
    // the same person's suite run as another instance executes it: its lease valid, nothing of it in this process
    const elsewhere = await prisma.suiteRun.create({
      data: {
        workspaceId: row.workspaceId,
        createdById: row.createdById,
        suiteName: row.suiteName,
        modelIds: ["MiniMax-M2"],
        concurrency: 1,
        status: "running",
        ownerId: "another-instance",
        leaseExpiresAt: new Date(Date.now() + 600_000),
        tasks: row.tasks as object[],
        results: [{ taskId: "py/fizzbuzz", modelId: "MiniMax-M2", status: "queued", sessionId: null }],
      },
    });
    const both = await Promise.all([start(one), start(one)]);
    expect(both.map((response) => response.status).sort()).toEqual([202, 429]);
    const refused = both.find((response) => response.status === 429);
    expect(refused?.json.error.code).toBe("rate_limit:suite_runs");
    const admitted = both.find((response) => response.status === 202);
    expect((await start(one)).status).toBe(429);
    // another instance's suite run that ends frees its place here
    await callRoute(cancelRoute.POST, { method: "POST", params: { id: elsewhere.id } });
    const after = await start(one);
    expect(after.status).toBe(202);
    for (const response of [admitted, after]) {
      await callRoute(cancelRoute.POST, { method: "POST", params: { id: response?.json.suiteRun.id } });
      await waitForSuiteRun(response?.json.suiteRun.id);
    }
  }, 60_000);

  test("bad input is a 400 that says what is wrong; an unknown suite run is a 404", async () => {
    const suites = await callRoute(suitesRoute.GET, {});
    expect(suites.json.suites[0].tasks).toHaveLength(20);
    expect(JSON.stringify(suites.json)).not.toContain("test_hidden");

    const cases: [unknown, RegExp][] = [
      [{ suite: "builtin", modelIds: [] }, /at least one model/],
      [{ suite: "builtin", modelIds: ["nope"] }, /Unknown model/],
      [{ suite: "builtin", modelIds: ["MiniMax-M2", "MiniMax-M2"] }, /twice/],
      [{ suite: "builtin", modelIds: ["MiniMax-M2"], concurrency: 20 }, /at most 8/],
      [{ suite: "builtin", modelIds: ["MiniMax-M2"], taskIds: ["py/none"] }, /Unknown task ids: py\/none/],
      // an empty list ran every task of the suite (40 runs for the built-in one on 2 models)
      [{ suite: "builtin", modelIds: ["MiniMax-M2"], taskIds: [] }, /taskIds is empty/],
      [{ suite: { name: "x", jsonl: '{"task_id": 1}' }, modelIds: ["MiniMax-M2"] }, /line 1 has neither/],
      [{ suite: "mine", modelIds: ["MiniMax-M2"] }, /suite must be/],
      // a 3 MB JSONL file is read (JSONL may be 20 MB; the body was held to 2 MB, a 413) up to its unknown model
      [{ suite: { name: "big", jsonl: bigJsonl(200, 15_000) }, modelIds: ["nope"] }, /Unknown model "nope"/],
      // a task longer than a session's task (20,000 characters) is refused with its line
      [
        { suite: { name: "long", jsonl: bigJsonl(1, 20_000) }, modelIds: ["MiniMax-M2"] },
        /line 1: the task is too long: keep it under 20,000 characters/,
      ],
      // one id twice: both results were graded with the second task's hidden tests
      [
        { suite: { name: "x", tasks: [TASKS[0], { ...TASKS[2], id: "sum" }] }, modelIds: ["MiniMax-M2"] },
        /sum appears twice/,
      ],
      // task files become starting files, which the session's download zips under their names
      [
        {
          suite: { name: "x", tasks: [{ ...TASKS[2], files: { "../../etc/x.py": "x = 1\n" } }] },
          modelIds: ["MiniMax-M2"],
        },
        /points outside the project/,
      ],
      [
        { suite: { name: "x", tasks: [{ ...TASKS[2], tests: { "/tmp/test_x.py": "" } }] }, modelIds: ["MiniMax-M2"] },
        /absolute path/,
      ],
    ];
    for (const [body, message] of cases) {
      const { status, json } = await start(body);
      expect(status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(json.error.message).toMatch(message);
    }
    const missing = await callRoute(oneRoute.GET, { params: { id: "nope" } });
    expect(missing.status).toBe(404);
    expect((await callRoute(cancelRoute.POST, { method: "POST", params: { id: "nope" } })).status).toBe(404);
  });
});
