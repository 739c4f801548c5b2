import { expect, test } from "vitest";
import * as sessionsRoute from "@/app/api/sessions/route";
import { activeRuns } from "@/lib/agent/active-runs";
import { waitForRun } from "@/lib/agent/run";
import { publishFinished } from "@/lib/agent/run-lease";
import { resumeInterruptedRuns } from "@/lib/agent/run-resume";
import { STOPPED } from "@/lib/agent/run-stop";
import { pauseForApproval } from "@/lib/db/approvals";
import { getDatabase } from "@/lib/db/client";
import { finishOrphanedRuns, recordRunProgress, SERVER_STOPPED } from "@/lib/db/runs";
import { getSessionBus } from "@/lib/realtime/bus";
import type { RunView } from "@/lib/wire/sessions";
import { callRoute } from "../api";
import { emulatorForFile } from "./emulator-env";
import { startStalledResumableRun } from "./stalled-run";

/**
 * Two attempts at one run (issue 12, durable runs): the instance executing the first
 * attempt stalls past its lease, another instance's heartbeat finishes it as stopped by
 * its server and resumes it as a new run, which ends. When the first instance wakes up
 * and settles, it must change nothing: the first run stays "the server stopped", the
 * session's branch stays the resumption's, and viewers are told nothing new of it. Nor
 * may it, between turns, record its totals or pause for a reviewer on a run whose row is
 * not its own any more: finished elsewhere, or continued by another instance (a reviewer's
 * decision leases the same run to the instance that took it).
 */

const emulator = emulatorForFile({ MODEL_STALL_TIMEOUT_MS: "20000" });

test("a late instance settling a run that was taken over records no end and leaves the newer attempt's branch", async () => {
  const { sessionId, runId: firstId } = await startStalledResumableRun(emulator());
  const { prisma } = await getDatabase();
  const first = activeRuns.get(firstId);
  if (!first) throw new Error("the first attempt is not executing here");

  // Another instance's heartbeat: the first attempt's lease has lapsed (anyLease stands in
  // for the wait), so it finishes the run and resumes it as a second run, which ends.
  emulator().setFault(null);
  const finished = await finishOrphanedRuns(SERVER_STOPPED, { runId: firstId, anyLease: true });
  expect(finished.runs.map((run) => run.id)).toEqual([firstId]);
  publishFinished(finished);
  await resumeInterruptedRuns(finished);
  const second = await prisma.run.findFirstOrThrow({ where: { sessionId, id: { not: firstId } } });
  await waitForRun(second.id);
  const afterSecond = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
  const secondSteps = await prisma.step.findMany({ where: { runId: second.id } });
  expect(secondSteps.map((step) => step.id)).toContain(afterSecond.activeLeafId);

  // The first instance wakes up (its turn noticed the run is not active any more) and settles.
  const told: RunView[] = [];
  const following = getSessionBus().follow(
    sessionId,
    (event) => {
      if (event.type === "run.updated" && event.run.id === firstId) told.push(event.run);
    },
    () => {},
  );
  await following.ready;
  first.controller.abort(STOPPED);
  await first.done;
  await new Promise((resolve) => setTimeout(resolve, 100));
  following.stop();

  expect(await prisma.run.findUniqueOrThrow({ where: { id: firstId } })).toMatchObject({
    status: "failed",
    errorCode: SERVER_STOPPED.errorCode,
  });
  expect(await prisma.run.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: "done" });
  expect((await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).activeLeafId).toBe(
    afterSecond.activeLeafId,
  );
  expect(told).toEqual([]);
  // its own steps are closed by its settling's last write of them, not left streaming
  expect(await prisma.step.count({ where: { runId: firstId, status: "streaming" } })).toBe(0);
});

test("a late instance neither records its totals nor pauses a run finished elsewhere or held by another instance", async () => {
  const { prisma } = await getDatabase();
  const created = await callRoute(sessionsRoute.POST, { method: "POST", body: { task: "Two attempts" } });
  const session = await prisma.session.findUniqueOrThrow({ where: { id: created.json.session.id } });
  const leafId = session.activeLeafId ?? "";
  const held = { inputTokens: 900, outputTokens: 90, reasoningTokens: 9, reasoningEstimated: false, costUsd: 0.0009 };
  const late = { inputTokens: 5, outputTokens: 5, reasoningTokens: 5, reasoningEstimated: true, costUsd: 0.5 };
  // the other attempt holds the run now: running there, its lease valid (no heartbeat takes it)
  const run = await prisma.run.create({
    data: {
      sessionId: session.id,
      modelId: "MiniMax-M2",
      status: "running",
      startedAt: new Date(),
      ownerId: "instance-b",
      leaseExpiresAt: new Date(Date.now() + 600_000),
      ...held,
    },
  });
  const pause = (ownerId: string) =>
    pauseForApproval({
      runId: run.id,
      sessionId: session.id,
      workspaceId: session.workspaceId,
      stepId: leafId,
      leafId,
      totals: late,
      ownerId,
    });

  expect(await recordRunProgress(run.id, late, "instance-a")).toBe(true);
  expect(await pause("instance-a")).toEqual({ run: null, step: null });
  expect(await prisma.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
    status: "running",
    ownerId: "instance-b",
    ...held,
  });
  expect(await prisma.approval.count({ where: { runId: run.id } })).toBe(0);
  expect(await prisma.step.findUniqueOrThrow({ where: { id: leafId } })).toMatchObject({
    status: "done",
  });

  // finished elsewhere as "the server stopped": not even its last owner writes to it
  await prisma.run.update({
    where: { id: run.id },
    data: { status: "failed", errorCode: SERVER_STOPPED.errorCode, finishedAt: new Date() },
  });
  expect(await recordRunProgress(run.id, late, "instance-b")).toBe(true);
  expect(await pause("instance-b")).toEqual({ run: null, step: null });
  expect(await prisma.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "failed", ...held });

  // the holder itself still does both
  await prisma.run.update({ where: { id: run.id }, data: { status: "running", errorCode: null, finishedAt: null } });
  expect(await recordRunProgress(run.id, late, "instance-b")).toBe(false);
  expect((await pause("instance-b")).run).toMatchObject({ status: "awaiting_approval", ...late });
});
