import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import * as cancelRoute from "@/app/api/runs/[runId]/cancel/route";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as approvalRoute from "@/app/api/sessions/[id]/steps/[stepId]/approval/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { cancelPausedRun, decideApproval } from "@/lib/db/approvals";
import { getDatabase } from "@/lib/db/client";
import { callRoute } from "../api";
import { testWorkspaceId } from "../workspace";
import { emulatorForFile } from "./emulator-env";

/**
 * Stop and a reviewer's decision racing on one paused run (issue 12, the plan gate): each is
 * one conditional statement over the Run, Approval and Step rows, and both take their row
 * locks in one order (Run, then Approval, then Step), so however they interleave on
 * PostgreSQL one wins, the other changes nothing, and neither fails with a deadlock.
 */

emulatorForFile();

const STOP_MESSAGE = { errorCode: "cancelled:run", errorMessage: "Stopped while it waited for a reviewer." };
const LEASE = { ownerId: "race-instance", leaseMs: 30_000 };

/** A new session; answers its id and task step. */
async function newSession(askBeforeApplying = false) {
  const created = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function with tests [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  const sessionId = created.json.session.id as string;
  if (askBeforeApplying) {
    await callRoute(sessionRoute.PATCH, { method: "PATCH", params: { id: sessionId }, body: { askBeforeApplying } });
  }
  return { sessionId, taskId: created.json.session.activeLeafId as string };
}

/** A run paused at a write_file call below the task, as pauseForApproval leaves it: run, call step and approval all waiting. */
async function pausedRun(workspaceId: string, { sessionId, taskId }: { sessionId: string; taskId: string }) {
  const { prisma } = await getDatabase();
  const runId = randomUUID();
  const stepId = randomUUID();
  await prisma.run.create({
    data: { id: runId, sessionId, fromStepId: taskId, modelId: "MiniMax-M2", status: "awaiting_approval" },
  });
  await prisma.step.create({
    data: {
      id: stepId,
      sessionId,
      parentId: taskId,
      runId,
      kind: "tool_call",
      origin: "model",
      status: "awaiting_approval",
      providerData: { toolName: "write_file", toolInput: '{"path":"sum.py","content":"x"}' },
    },
  });
  await prisma.approval.create({
    data: { workspaceId, sessionId, stepId, runId, status: "pending", leafId: stepId },
  });
  return { sessionId, runId, stepId };
}

/** The rows as the race left them: one of the two consistent states, never a mix. */
async function expectConsistent({ runId, stepId }: { runId: string; stepId: string }, decided: boolean) {
  const { prisma } = await getDatabase();
  const run = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
  const approval = await prisma.approval.findUniqueOrThrow({ where: { stepId } });
  const step = await prisma.step.findUniqueOrThrow({ where: { id: stepId } });
  if (decided) {
    expect({ run: run.status, owner: run.ownerId, approval: approval.status, step: step.status }).toEqual({
      run: "running",
      owner: LEASE.ownerId,
      approval: "approved",
      step: "done",
    });
  } else {
    expect({ run: run.status, code: run.errorCode, approval: approval.status, step: step.status }).toEqual({
      run: "cancelled",
      code: STOP_MESSAGE.errorCode,
      approval: "cancelled",
      step: "done",
    });
  }
}

/** Both orders of sending, alternately: `first` and `second` started in the same tick. */
async function race<A, B>(round: number, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (round % 2 === 0) return Promise.all([a(), b()]);
  const [second, first] = await Promise.all([b(), a()]);
  return [first, second];
}

describe("Stop racing a reviewer's decision on a paused run", () => {
  test("the two statements: exactly one wins every time, with no deadlock and the rows consistent", async () => {
    const workspaceId = await testWorkspaceId();
    const session = await newSession();
    // (the embedded database runs one statement at a time: a few rounds check the outcomes there)
    const rounds = process.env.DATABASE_URL ? 40 : 6;
    let stops = 0;
    for (let round = 0; round < rounds; round++) {
      const paused = await pausedRun(workspaceId, session);
      const [decided, stopped] = await race(
        round,
        () =>
          decideApproval({
            sessionId: paused.sessionId,
            workspaceId,
            stepId: paused.stepId,
            input: { decision: "approved", editedContent: null, comment: null, decidedById: null },
            lease: LEASE,
          }),
        () => cancelPausedRun({ runId: paused.runId, workspaceId, message: STOP_MESSAGE }),
      );
      const stopWon = stopped.run !== null;
      expect(decided !== null).toBe(!stopWon);
      if (stopWon) expect(stopped.step?.status).toBe("done");
      await expectConsistent(paused, !stopWon);
      if (stopWon) stops += 1;
    }
    // (which one wins is up to the database; both must be possible outcomes, not errors)
    expect(stops).toBeLessThanOrEqual(rounds);
    const { prisma } = await getDatabase();
    await prisma.run.updateMany({
      where: { sessionId: session.sessionId, status: "running" },
      data: { status: "done" },
    });
  });

  test("Stop and the approval route on a run the plan gate paused: never a 500, and the run ends stopped", async () => {
    for (let round = 0; round < 4; round++) {
      const { sessionId } = await newSession(true);
      const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
      const runId = started.json.run.id as string;
      await waitForRun(runId);
      const { prisma } = await getDatabase();
      const call = await prisma.step.findFirstOrThrow({ where: { sessionId, status: "awaiting_approval" } });
      const [decided, stopped] = await race(
        round,
        () =>
          callRoute(approvalRoute.POST, {
            method: "POST",
            params: { id: sessionId, stepId: call.id },
            body: { decision: "approve" },
          }),
        () => callRoute(cancelRoute.POST, { method: "POST", params: { runId } }),
      );
      expect(stopped.status).toBe(200);
      // the decision either took (the run went on, then Stop stopped it) or came too late (409)
      expect([200, 409]).toContain(decided.status);
      if (decided.status === 409) expect(decided.json.error.code).toBe("conflict:approval");
      await waitForRun(runId);
      const run = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
      const approval = await prisma.approval.findUniqueOrThrow({ where: { stepId: call.id } });
      const step = await prisma.step.findUniqueOrThrow({ where: { id: call.id } });
      expect(step.status).toBe("done");
      if (decided.status === 409) {
        expect({ run: run.status, approval: approval.status }).toEqual({ run: "cancelled", approval: "cancelled" });
      } else {
        expect(approval.status).toBe("approved");
        // stopped as it went on, or (the model being quick) finished first; never left going or waiting
        expect(["cancelled", "done"]).toContain(run.status);
      }
      expect(
        await prisma.step.count({ where: { sessionId, status: { in: ["streaming", "awaiting_approval"] } } }),
      ).toBe(0);
    }
  });
});
