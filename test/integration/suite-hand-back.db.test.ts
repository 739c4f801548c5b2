import { expect, test, vi } from "vitest";
import * as oneRoute from "@/app/api/suite-runs/[id]/route";
import * as suiteRunsRoute from "@/app/api/suite-runs/route";
import { waitForRun } from "@/lib/agent/run";
import { leaseTick } from "@/lib/agent/run-lease";
import { installGracefulShutdown } from "@/lib/agent/shutdown";
import { getDatabase } from "@/lib/db/client";
import { processState } from "@/lib/process-state";
import { waitForSuiteRun } from "@/lib/suites/runner";
import type { SuiteResult } from "@/lib/suites/types";
import { callRoute } from "../api";
import { emulatorForFile } from "./emulator-env";
import { TASKS } from "./suite-tasks";

/**
 * SIGTERM while a suite run's task streams: the server hands the suite run back — its
 * task's run ends as cut off by the restart, the task is not graded or counted, and the
 * suite run's lease is released — and the next server's first heartbeat takes it over,
 * resumes the cut-off task's run in its own session and runs the rest.
 */

/** How long a poll waits for a state the suite run reaches within a few seconds (a loaded machine's CI). */
const WAIT = { timeout: 30_000, interval: 50 };

const emulator = emulatorForFile({ OFFLINE_DEMO_CHUNK_DELAY_MS: "0", MODEL_STALL_TIMEOUT_MS: "20000" });

test("a graceful stop hands a suite run back; the next server resumes it and counts each task once", async () => {
  emulator().setFault({ type: "stall", afterChunks: 3 });
  const { prisma } = await getDatabase();
  const started = await callRoute(suiteRunsRoute.POST, {
    method: "POST",
    body: { suite: { name: "two tasks", tasks: [TASKS[0], TASKS[1]] }, modelIds: ["MiniMax-M2"], concurrency: 1 },
  });
  const id: string = started.json.suiteRun.id;
  const { sessionId, runId } = await vi.waitFor(async () => {
    const [result] = (await prisma.suiteRun.findUniqueOrThrow({ where: { id } })).results as unknown as SuiteResult[];
    const run = await prisma.run.findFirst({ where: { sessionId: result?.sessionId ?? "", status: "running" } });
    if (!run) throw new Error("its first task's run is not going yet");
    return { sessionId: run.sessionId, runId: run.id };
  }, WAIT);

  const exits: number[] = [];
  const uninstall = installGracefulShutdown((code) => exits.push(code));
  try {
    process.emit("SIGTERM");
    await waitForSuiteRun(id);
    await waitForRun(runId);
  } finally {
    uninstall();
  }
  const handedBack = await prisma.suiteRun.findUniqueOrThrow({ where: { id } });
  expect(handedBack).toMatchObject({ status: "running", finishedAt: null });
  expect(handedBack.leaseExpiresAt?.getTime()).toBeLessThan(Date.now());
  expect((handedBack.results as unknown as SuiteResult[]).map((result) => result.status)).toEqual([
    "running",
    "queued",
  ]);
  expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
    status: "failed",
    errorCode: "unavailable:shutdown",
  });

  // the next server: another instance id, accepting runs, with a run-queue worker of its own on PostgreSQL
  processState().stoppingAll = false;
  processState().runQueue = undefined;
  processState().instanceId = undefined;
  emulator().setFault(null);
  await leaseTick();
  await waitForSuiteRun(id);

  const { json } = await callRoute(oneRoute.GET, { params: { id } });
  expect(json.suiteRun).toMatchObject({ status: "done", resumeCount: 1 });
  expect(json.suiteRun.results.map((result: SuiteResult) => [result.taskId, result.status])).toEqual([
    ["sum", "passed"],
    ["fizzbuzz", "failed"],
  ]);
  expect(json.report.total).toMatchObject({ graded: 2, passed: 1, passAt1: 0.5 });
  const runs = await prisma.run.findMany({ where: { sessionId }, orderBy: { createdAt: "asc" } });
  expect(runs.map((run) => [run.status, run.errorCode])).toEqual([
    ["failed", "unavailable:shutdown"],
    ["done", null],
  ]);
}, 120_000);
