import { expect, test } from "vitest";
import * as cancelRoute from "@/app/api/runs/[runId]/cancel/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as editRoute from "@/app/api/sessions/[id]/steps/[stepId]/edit/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { instanceId, leaseTick } from "@/lib/agent/run-lease";
import { getDatabase } from "@/lib/db/client";
import { renewLeases } from "@/lib/db/runs";
import { listSessionSteps } from "@/lib/db/steps";
import { callRoute } from "../api";
import { testWorkspaceId } from "../workspace";
import { emulatorForFile } from "./emulator-env";

/**
 * Runs whose server died (their lease ran out) are finished by whoever looks next; Stop
 * finishes a run nobody executes at once; a live instance's runs are left alone. The
 * "dead instance" is a run row leased to another owner, as a killed process leaves it.
 */

const _emulator = emulatorForFile();

/** A session whose run was going on another instance: a thinking step streaming, its lease ending at `leaseExpiresAt`. */
async function sessionWithForeignRun(leaseExpiresAt: Date) {
  const { json } = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  const sessionId: string = json.session.id;
  const taskId: string = json.session.activeLeafId;
  const { prisma } = await getDatabase();
  const run = await prisma.run.create({
    data: {
      sessionId,
      fromStepId: taskId,
      modelId: "MiniMax-M2",
      status: "running",
      startedAt: new Date(),
      ownerId: "another-instance",
      leaseExpiresAt,
    },
  });
  const step = await prisma.step.create({
    data: {
      sessionId,
      parentId: taskId,
      runId: run.id,
      kind: "thinking",
      origin: "model",
      status: "streaming",
      content: "The task asks",
      turn: 1,
    },
  });
  return { sessionId, taskId, runId: run.id, stepId: step.id };
}

const past = () => new Date(Date.now() - 1_000);
const future = () => new Date(Date.now() + 60_000);

test("a run whose lease expired no longer locks its session: a new run finishes it as stopped by the server", async () => {
  const orphan = await sessionWithForeignRun(past());
  const started = await callRoute(runsRoute.POST, {
    method: "POST",
    params: { id: orphan.sessionId },
    body: { fromStepId: orphan.taskId },
  });
  expect(started.status).toBe(202);
  await waitForRun(started.json.run.id);

  const { prisma } = await getDatabase();
  const old = await prisma.run.findUniqueOrThrow({ where: { id: orphan.runId } });
  expect(old).toMatchObject({ status: "failed", errorCode: "unavailable:server_stopped" });
  expect(old.errorMessage).toMatch(/server running this run stopped.*Retry/);
  const steps = await listSessionSteps({ sessionId: orphan.sessionId, workspaceId: await testWorkspaceId() });
  expect(steps.find((step) => step.id === orphan.stepId)).toMatchObject({
    status: "interrupted",
    content: "The task asks",
  });
  expect(steps.some((step) => step.status === "streaming")).toBe(false);
  const retried = await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } });
  expect(retried).toMatchObject({ status: "done", ownerId: instanceId() });
  expect(retried.leaseExpiresAt).not.toBeNull();
});

test("the heartbeat finishes expired runs, moves the branch to their newest step, and leaves live leases alone", async () => {
  const dead = await sessionWithForeignRun(past());
  const alive = await sessionWithForeignRun(future());
  await leaseTick();
  const { prisma } = await getDatabase();
  expect(await prisma.run.findUniqueOrThrow({ where: { id: dead.runId } })).toMatchObject({
    status: "failed",
    errorCode: "unavailable:server_stopped",
  });
  expect((await prisma.session.findUniqueOrThrow({ where: { id: dead.sessionId } })).activeLeafId).toBe(dead.stepId);
  expect(await prisma.run.findUniqueOrThrow({ where: { id: alive.runId } })).toMatchObject({ status: "running" });
  expect(await prisma.step.findUniqueOrThrow({ where: { id: alive.stepId } })).toMatchObject({ status: "streaming" });

  // a live instance's run stays locked against a second run
  const busy = await callRoute(runsRoute.POST, { method: "POST", params: { id: alive.sessionId }, body: {} });
  expect(busy.status).toBe(409);
});

test("Stop on a run nobody executes finishes it at once; on a live instance's run it asks that instance", async () => {
  const dead = await sessionWithForeignRun(past());
  const stopped = await callRoute(cancelRoute.POST, { method: "POST", params: { runId: dead.runId } });
  expect(stopped.status).toBe(200);
  expect(stopped.json.run).toMatchObject({ status: "cancelled", errorCode: "cancelled:run" });
  const { prisma } = await getDatabase();
  expect(await prisma.step.findUniqueOrThrow({ where: { id: dead.stepId } })).toMatchObject({ status: "interrupted" });

  const alive = await sessionWithForeignRun(future());
  const asked = await callRoute(cancelRoute.POST, { method: "POST", params: { runId: alive.runId } });
  expect(asked.json.run.status).toBe("running");
  // the owner's next heartbeat learns it should stop
  expect(await renewLeases([alive.runId], { ownerId: "another-instance", leaseMs: 30_000 })).toEqual([alive.runId]);
});

test("an edit on a branch whose run's server died is allowed", async () => {
  const dead = await sessionWithForeignRun(past());
  const edited = await callRoute(editRoute.POST, {
    method: "POST",
    params: { id: dead.sessionId, stepId: dead.taskId },
    body: { content: "Write a product function" },
  });
  expect(edited.status).toBe(201);
  const alive = await sessionWithForeignRun(future());
  const blocked = await callRoute(editRoute.POST, {
    method: "POST",
    params: { id: alive.sessionId, stepId: alive.taskId },
    body: { content: "Write a product function" },
  });
  expect(blocked.status).toBe(409);
});
