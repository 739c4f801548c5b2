import { expect, test } from "vitest";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { leaseTick } from "@/lib/agent/run-lease";
import { installGracefulShutdown } from "@/lib/agent/shutdown";
import { getDatabase } from "@/lib/db/client";
import { listSessionRuns } from "@/lib/db/runs";
import { processState } from "@/lib/process-state";
import { callRoute } from "../api";
import { testWorkspaceId } from "../workspace";
import { emulatorForFile } from "./emulator-env";

/**
 * SIGTERM while a run streams on a session that resumes interrupted runs: the server hands
 * the run back — steps saved, lease released, no end recorded — and the next heartbeat of
 * another instance finishes it and resumes it from the last complete step.
 */

const emulator = emulatorForFile({ MODEL_STALL_TIMEOUT_MS: "20000" });

test("a graceful stop hands a resumable run back; another instance's heartbeat resumes it", async () => {
  const created = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  const sessionId: string = created.json.session.id;
  await callRoute(sessionRoute.PATCH, {
    method: "PATCH",
    params: { id: sessionId },
    body: { resumeInterrupted: true },
  });
  emulator().setFault({ type: "stall", afterChunks: 8 });
  const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
  const { stepRows, prisma } = await getDatabase();
  const deadline = Date.now() + 5_000;
  while (!stepRows.pendingOf(sessionId).some((step) => step.content.length > 0)) {
    if (Date.now() > deadline) throw new Error("the run never streamed");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  const exits: number[] = [];
  const uninstall = installGracefulShutdown((code) => exits.push(code));
  try {
    process.emit("SIGTERM");
    await waitForRun(started.json.run.id);
  } finally {
    uninstall();
  }
  const handedBack = await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } });
  expect(handedBack).toMatchObject({ status: "running", finishedAt: null });
  expect(handedBack.leaseExpiresAt?.getTime()).toBeLessThan(Date.now());
  const cut = await prisma.step.findMany({ where: { runId: handedBack.id } });
  expect(cut.map((step) => [step.kind, step.status])).toEqual([["thinking", "interrupted"]]);
  expect(cut[0]?.content.length).toBeGreaterThan(0);

  // another instance (this process, accepting runs again, with a run-queue worker of its
  // own on PostgreSQL) looks on its heartbeat; while stopping, this process's own
  // heartbeat left the released run alone
  processState().stoppingAll = false;
  processState().runQueue = undefined;
  emulator().setFault(null);
  await leaseTick();
  const runs = await listSessionRuns({ sessionId, workspaceId: await testWorkspaceId() });
  expect(runs).toHaveLength(2);
  expect(runs[0]).toMatchObject({ status: "failed", errorCode: "unavailable:server_stopped" });
  await waitForRun(runs[1]?.id ?? "");
  expect((await listSessionRuns({ sessionId, workspaceId: await testWorkspaceId() }))[1]).toMatchObject({
    status: "done",
    fromStepId: created.json.session.activeLeafId,
  });
});
