import { expect, test } from "vitest";
import { waitForRun } from "@/lib/agent/run";
import { leaseTick } from "@/lib/agent/run-lease";
import { installGracefulShutdown } from "@/lib/agent/shutdown";
import { getDatabase } from "@/lib/db/client";
import { listSessionRuns } from "@/lib/db/runs";
import { processState } from "@/lib/process-state";
import { testWorkspaceId } from "../workspace";
import { emulatorForFile } from "./emulator-env";
import { startStalledResumableRun } from "./stalled-run";

/**
 * SIGTERM while a run streams on a session that resumes interrupted runs: the server hands
 * the run back — steps saved, lease released, no end recorded — and the next heartbeat of
 * another instance finishes it and resumes it from the last complete step.
 */

const emulator = emulatorForFile({ MODEL_STALL_TIMEOUT_MS: "20000" });

test("a graceful stop hands a resumable run back; another instance's heartbeat resumes it", async () => {
  const { sessionId, taskId, runId } = await startStalledResumableRun(emulator());
  const { prisma } = await getDatabase();

  const exits: number[] = [];
  const uninstall = installGracefulShutdown((code) => exits.push(code));
  try {
    process.emit("SIGTERM");
    await waitForRun(runId);
  } finally {
    uninstall();
  }
  const handedBack = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
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
    fromStepId: taskId,
  });
});
