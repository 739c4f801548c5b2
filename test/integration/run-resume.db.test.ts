import { expect, test } from "vitest";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { leaseTick } from "@/lib/agent/run-lease";
import { getDatabase } from "@/lib/db/client";
import { listSessionRuns } from "@/lib/db/runs";
import { listSessionSteps } from "@/lib/db/steps";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import { callRoute } from "../api";
import { testWorkspaceId } from "../workspace";
import { emulatorForFile } from "./emulator-env";

/**
 * A run whose server died mid-turn (its lease ran out, as kill -9 leaves it) is resumed by
 * the next heartbeat when the session allows it: from the last complete step, every
 * streamed step kept, none lost or made twice — the emulator's record of what was sent
 * matches the stored branch turn for turn.
 */

const emulator = emulatorForFile();

async function sessionWithDeadRun({ resume }: { resume: boolean }) {
  const { json } = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2", maxTurns: 1 },
  });
  const sessionId: string = json.session.id;
  // turn 1 completes (thinking, tool call, its result) on a live server…
  const first = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
  await waitForRun(first.json.run.id);
  const patched = await callRoute(sessionRoute.PATCH, {
    method: "PATCH",
    params: { id: sessionId },
    body: { maxTurns: 25, resumeInterrupted: resume },
  });
  expect(patched.json.session.settings).toEqual({ maxTurns: 25, resumeInterrupted: resume });
  const lastDone: string = patched.json.session.activeLeafId;
  // …then a server takes the next run and dies in turn 2's thinking: its row and a streaming step stay
  const { prisma } = await getDatabase();
  const dead = await prisma.run.create({
    data: {
      sessionId,
      fromStepId: lastDone,
      modelId: "MiniMax-M2",
      status: "running",
      startedAt: new Date(),
      ownerId: "a-killed-instance",
      leaseExpiresAt: new Date(Date.now() - 1_000),
    },
  });
  const cut = await prisma.step.create({
    data: {
      sessionId,
      parentId: lastDone,
      runId: dead.id,
      kind: "thinking",
      origin: "model",
      status: "streaming",
      content: "Now the",
      turn: 2,
    },
  });
  await prisma.session.update({ where: { id: sessionId }, data: { activeLeafId: cut.id } });
  return { sessionId, deadRunId: dead.id, cutId: cut.id, lastDone };
}

test("the heartbeat finishes a dead instance's run and resumes it from the last complete step", async () => {
  const { sessionId, deadRunId, cutId, lastDone } = await sessionWithDeadRun({ resume: true });
  const before = emulator().requests.length;
  await leaseTick();

  // (this process's own heartbeat may be the one that got there first)
  await expect
    .poll(async () => (await listSessionRuns({ sessionId, workspaceId: await testWorkspaceId() })).length)
    .toBe(3);
  const runs = await listSessionRuns({ sessionId, workspaceId: await testWorkspaceId() });
  expect(runs.find((run) => run.id === deadRunId)).toMatchObject({
    status: "failed",
    errorCode: "unavailable:server_stopped",
  });
  const resumed = runs.at(-1);
  expect(resumed).toMatchObject({ fromStepId: lastDone });
  expect(resumed?.id).not.toBe(deadRunId);
  await waitForRun(resumed?.id ?? "");
  expect((await listSessionRuns({ sessionId, workspaceId: await testWorkspaceId() })).at(-1)).toMatchObject({
    status: "done",
    errorCode: null,
  });

  // the streamed step is kept, interrupted, beside the branch
  const steps = await listSessionSteps({ sessionId, workspaceId: await testWorkspaceId() });
  expect(steps.find((step) => step.id === cutId)).toMatchObject({ status: "interrupted", content: "Now the" });
  const { prisma } = await getDatabase();
  const leaf = (await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).activeLeafId ?? "";
  const branch = pathTo(indexSteps(steps), leaf);
  expect(branch.map((step) => step.id)).not.toContain(cutId);
  expect(new Set(branch.map((step) => step.id)).size).toBe(branch.length);
  expect(branch.every((step) => step.status === "done")).toBe(true);

  // what the model was sent: each resumed request replays exactly the stored turns before it, none twice
  const sent = emulator().requests.slice(before);
  const thinking = branch.filter((step) => step.kind === "thinking").map((step) => step.content);
  expect(sent.length).toBeGreaterThan(0);
  sent.forEach((request, i) => {
    expect(request.replay.problems).toEqual([]);
    expect(request.replay.assistantTurns).toBe(i + 1);
    expect(request.replay.thinkingByTurn).toEqual(thinking.slice(0, i + 1));
  });
  expect(thinking).toHaveLength(sent.length + 1);
});

test("without the setting the run is only finished; Retry stays for the person", async () => {
  const { sessionId, deadRunId } = await sessionWithDeadRun({ resume: false });
  await leaseTick();
  const runs = await listSessionRuns({ sessionId, workspaceId: await testWorkspaceId() });
  expect(runs.at(-1)).toMatchObject({ id: deadRunId, status: "failed", errorCode: "unavailable:server_stopped" });
});
