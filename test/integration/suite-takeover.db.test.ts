import { expect, test, vi } from "vitest";
import * as oneRoute from "@/app/api/suite-runs/[id]/route";
import * as suiteRunsRoute from "@/app/api/suite-runs/route";
import { activeSuiteRuns } from "@/lib/agent/active-runs";
import { cancelRun } from "@/lib/agent/run";
import { instanceId, leaseTick } from "@/lib/agent/run-lease";
import { getDatabase } from "@/lib/db/client";
import { createSession } from "@/lib/db/sessions";
import { queuedResult } from "@/lib/suites/report";
import { SUITE_MAX_TURNS, waitForSuiteRun } from "@/lib/suites/runner";
import type { SuiteResult } from "@/lib/suites/types";
import { callRoute } from "../api";
import { emulatorForFile } from "./emulator-env";
import { TASKS } from "./suite-tasks";

/**
 * A suite run outlives the instance executing it (durable suite runs): the instance dies
 * (kill -9: no heartbeat renews its lease, nothing more is written), and once the lease has
 * expired another instance's heartbeat takes the suite run over and resumes it from its
 * results as last saved. The dead instance is the suite run's row and its tasks' runs as a
 * killed process leaves them, leased to another owner; "this process" is the survivor.
 */

const emulator = emulatorForFile({ OFFLINE_DEMO_CHUNK_DELAY_MS: "0", MODEL_STALL_TIMEOUT_MS: "5000" });

/** How long a poll waits for a state the suite run reaches within a few seconds (a loaded machine's CI). */
const WAIT = { timeout: 30_000, interval: 50 };

const MODELS = ["MiniMax-M2", "offline-demo"];
const DEAD = "dead-instance";
const live = () => new Date(Date.now() + 600_000);

/** A session of a suite task, as the runner makes it. */
async function taskSession(workspaceId: string, taskIndex: number, modelId: string) {
  return createSession({
    workspaceId,
    task: TASKS[taskIndex]?.prompt ?? "",
    modelId,
    settings: { maxTurns: SUITE_MAX_TURNS },
  });
}

test("an instance dies mid-suite-run: another takes it over once its lease expires, resumes it, and pass@1 counts every task once", async () => {
  emulator().reset();
  const { prisma } = await getDatabase();
  // sum on both models, run for real: one result to keep as it is, one to grade again
  const first = await callRoute(suiteRunsRoute.POST, {
    method: "POST",
    body: { suite: { name: "sum", tasks: [TASKS[0]] }, modelIds: MODELS, concurrency: 2 },
  });
  await waitForSuiteRun(first.json.suiteRun.id);
  const finished = await prisma.suiteRun.findUniqueOrThrow({ where: { id: first.json.suiteRun.id } });
  const [sumOnM2, sumOnDemo] = finished.results as unknown as SuiteResult[];
  if (!sumOnM2 || !sumOnDemo) throw new Error("the first suite run has no results");
  expect([sumOnM2.status, sumOnDemo.status]).toEqual(["passed", "passed"]);
  const { workspaceId } = finished;

  // What the dead instance leaves: fizzbuzz on MiniMax-M2 mid-run (its run streaming a
  // thought), roman on the demo model with its session made but no run yet, sum on the demo
  // model being graded, two tasks queued.
  const fizz = await taskSession(workspaceId, 1, "MiniMax-M2");
  const deadRun = await prisma.run.create({
    data: {
      sessionId: fizz.id,
      fromStepId: fizz.activeLeafId,
      modelId: "MiniMax-M2",
      status: "running",
      startedAt: new Date(),
      ownerId: DEAD,
      leaseExpiresAt: live(),
    },
  });
  const cutStep = await prisma.step.create({
    data: {
      sessionId: fizz.id,
      parentId: fizz.activeLeafId,
      runId: deadRun.id,
      kind: "thinking",
      origin: "model",
      status: "streaming",
      content: "FizzBuzz: multiples of",
      turn: 1,
    },
  });
  const roman = await taskSession(workspaceId, 2, "offline-demo");
  const results: SuiteResult[] = [
    sumOnM2,
    { ...sumOnDemo, status: "grading", testsPassed: 0, testsTotal: 0 },
    { ...queuedResult("fizzbuzz", "MiniMax-M2"), status: "running", sessionId: fizz.id },
    queuedResult("fizzbuzz", "offline-demo"),
    queuedResult("roman", "MiniMax-M2"),
    { ...queuedResult("roman", "offline-demo"), status: "running", sessionId: roman.id },
  ];
  const { id } = await prisma.suiteRun.create({
    data: {
      workspaceId,
      suiteName: "three tasks",
      modelIds: MODELS,
      concurrency: 2,
      status: "running",
      tasks: TASKS.map((task) => ({ ...task, title: task.id })),
      results: results as unknown as object[],
      ownerId: DEAD,
      leaseExpiresAt: live(),
    },
  });

  // while its lease is valid, no heartbeat takes it
  await leaseTick();
  expect(await prisma.suiteRun.findUniqueOrThrow({ where: { id } })).toMatchObject({ ownerId: DEAD, resumeCount: 0 });
  expect(activeSuiteRuns.has(id)).toBe(false);

  // the instance dies: its leases run out with nobody renewing them
  const expired = new Date(Date.now() - 1_000);
  await prisma.$transaction([
    prisma.suiteRun.update({ where: { id }, data: { leaseExpiresAt: expired } }),
    prisma.run.update({ where: { id: deadRun.id }, data: { leaseExpiresAt: expired } }),
  ]);
  await leaseTick();
  // (this process's own heartbeat may have got there first: either way it runs here now)
  await vi.waitFor(
    async () =>
      expect(await prisma.suiteRun.findUniqueOrThrow({ where: { id } })).toMatchObject({
        ownerId: instanceId(),
        resumeCount: 1,
      }),
    WAIT,
  );
  expect(activeSuiteRuns.has(id)).toBe(true);
  await waitForSuiteRun(id);

  const { json } = await callRoute(oneRoute.GET, { params: { id } });
  const { suiteRun, report } = json;
  expect(suiteRun).toMatchObject({ status: "done", resumeCount: 1, errorMessage: null });
  const byKey = new Map<string, SuiteResult>(
    suiteRun.results.map((result: SuiteResult) => [`${result.modelId}/${result.taskId}`, result]),
  );
  expect(Object.fromEntries([...byKey].map(([key, result]) => [key, result.status]))).toEqual({
    "MiniMax-M2/sum": "passed",
    "offline-demo/sum": "passed",
    "MiniMax-M2/fizzbuzz": "failed",
    "offline-demo/fizzbuzz": "failed",
    "MiniMax-M2/roman": "passed",
    "offline-demo/roman": "passed",
  });
  // by hand: 2 of 3 tasks pass on each model, 4 of 6 in all; each task counted once
  expect(report.models.map((model: { passAt1: number }) => model.passAt1)).toEqual([2 / 3, 2 / 3]);
  expect(report.total).toMatchObject({ graded: 6, passed: 4, passAt1: 4 / 6 });
  expect(report.progress).toEqual({ done: 6, total: 6 });

  // a finished task is kept as it was: not run again
  expect(byKey.get("MiniMax-M2/sum")).toEqual(sumOnM2);
  expect(await prisma.run.count({ where: { sessionId: sumOnM2.sessionId ?? "" } })).toBe(1);
  // the one being graded is graded again, not run again
  expect(byKey.get("offline-demo/sum")).toMatchObject({
    sessionId: sumOnDemo.sessionId,
    testsPassed: 2,
    testsTotal: 2,
  });
  expect(await prisma.run.count({ where: { sessionId: sumOnDemo.sessionId ?? "" } })).toBe(1);
  // the cut-off run is finished as its server's stop and resumed in the same session, as the heartbeat resumes runs
  expect(byKey.get("MiniMax-M2/fizzbuzz")).toMatchObject({ sessionId: fizz.id, runStatus: "done", testsPassed: 1 });
  const fizzRuns = await prisma.run.findMany({ where: { sessionId: fizz.id }, orderBy: { createdAt: "asc" } });
  expect(fizzRuns.map((run) => [run.status, run.errorCode])).toEqual([
    ["failed", "unavailable:server_stopped"],
    ["done", null],
  ]);
  expect(fizzRuns[1]?.fromStepId).toBe(fizz.activeLeafId);
  expect(await prisma.step.findUniqueOrThrow({ where: { id: cutStep.id } })).toMatchObject({
    status: "interrupted",
    content: "FizzBuzz: multiples of",
  });
  // the session made before the death is used, with one run
  expect(byKey.get("offline-demo/roman")?.sessionId).toBe(roman.id);
  expect(await prisma.run.count({ where: { sessionId: roman.id } })).toBe(1);
  // one session per task and model
  expect(new Set(suiteRun.results.map((result: SuiteResult) => result.sessionId)).size).toBe(6);
}, 120_000);

test("an instance that stalled past its lease and lost its suite run records nothing more of it, and stops nothing of its new holder's", async () => {
  emulator().reset();
  emulator().setFault({ type: "stall", afterChunks: 3 });
  const { prisma } = await getDatabase();
  const started = await callRoute(suiteRunsRoute.POST, {
    method: "POST",
    body: { suite: { name: "sum", tasks: [TASKS[0]] }, modelIds: ["MiniMax-M2"], concurrency: 1 },
  });
  const id: string = started.json.suiteRun.id;
  const going = await vi.waitFor(async () => {
    const [result] = (await prisma.suiteRun.findUniqueOrThrow({ where: { id } })).results as unknown as SuiteResult[];
    const run = await prisma.run.findFirst({ where: { sessionId: result?.sessionId ?? "" } });
    if (!run || result?.status !== "running") throw new Error("its task's run has not started");
    return { results: result, runId: run.id };
  }, WAIT);

  // another instance took it over while this one stalled past its lease
  await prisma.suiteRun.update({ where: { id }, data: { ownerId: "instance-b", leaseExpiresAt: live() } });
  await leaseTick();
  await waitForSuiteRun(id);
  expect(activeSuiteRuns.has(id)).toBe(false);
  const row = await prisma.suiteRun.findUniqueOrThrow({ where: { id } });
  expect(row).toMatchObject({ status: "running", ownerId: "instance-b", finishedAt: null });
  expect(row.results).toEqual([going.results]);
  // the task's run is the new holder's to follow: the lost runner did not stop it
  expect((await prisma.run.findUniqueOrThrow({ where: { id: going.runId } })).status).toBe("running");

  await cancelRun({ runId: going.runId, workspaceId: row.workspaceId });
  await prisma.suiteRun.update({ where: { id }, data: { status: "cancelled", finishedAt: new Date() } });
}, 60_000);
