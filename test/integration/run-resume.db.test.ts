import { expect, test } from "vitest";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { startRun, waitForRun } from "@/lib/agent/run";
import { leaseTick, publishFinished } from "@/lib/agent/run-lease";
import { resumeInterruptedRuns, resumeRun } from "@/lib/agent/run-resume";
import { getDatabase } from "@/lib/db/client";
import { finishOrphanedRuns, listSessionRuns, SERVER_STOPPED } from "@/lib/db/runs";
import { listSessionSteps } from "@/lib/db/steps";
import { getSessionBus } from "@/lib/realtime/bus";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { RunView } from "@/lib/wire/sessions";
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

async function sessionWithDeadRun({ resume, leaseMs = -1_000 }: { resume: boolean; leaseMs?: number }) {
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
      leaseExpiresAt: new Date(Date.now() + leaseMs),
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
  expect(resumed).toMatchObject({ fromStepId: lastDone, resumesRunId: deadRunId });
  expect(resumed?.id).not.toBe(deadRunId);
  await waitForRun(resumed?.id ?? "");
  // the API's run list links both ways: the resumed run names the dead one, the dead one its continuation
  const listed = await callRoute(runsRoute.GET, { params: { id: sessionId } });
  expect(listed.json.runs).toEqual([
    expect.objectContaining({ resumesRunId: null, resumedByRunId: null }),
    expect.objectContaining({ id: deadRunId, resumesRunId: null, resumedByRunId: resumed?.id }),
    expect.objectContaining({ id: resumed?.id, status: "done", errorCode: null, resumesRunId: deadRunId }),
  ]);

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

test("the resume tells the session's viewers where the interrupted run goes on", async () => {
  // a lease still valid: nothing but this test finishes the run
  const { sessionId, deadRunId } = await sessionWithDeadRun({ resume: true, leaseMs: 600_000 });
  const told: RunView[] = [];
  const following = getSessionBus().follow(
    sessionId,
    (event) => {
      if (event.type === "run.updated") told.push(event.run);
    },
    () => {},
  );
  await following.ready;
  const finished = await finishOrphanedRuns(SERVER_STOPPED, { runId: deadRunId, anyLease: true });
  publishFinished(finished);
  await resumeInterruptedRuns(finished);
  const resumed = (await listSessionRuns({ sessionId, workspaceId: await testWorkspaceId() })).at(-1);
  await waitForRun(resumed?.id ?? "");
  following.stop();

  expect(resumed).toMatchObject({ resumesRunId: deadRunId, resumedByRunId: null });
  const aboutDead = told.filter((run) => run.id === deadRunId);
  expect(aboutDead.map((run) => [run.status, run.resumedByRunId])).toEqual([
    ["failed", undefined],
    ["failed", resumed?.id],
  ]);
  expect(told.find((run) => run.id === resumed?.id)).toMatchObject({ resumesRunId: deadRunId });
  // one run continues another at most once
  await expect(
    startRun({ sessionId, workspaceId: await testWorkspaceId(), resumesRunId: deadRunId }),
  ).rejects.toThrow();
});

test("without the setting the run is only finished; Retry stays for the person, and starts a run of its own", async () => {
  const { sessionId, deadRunId, lastDone } = await sessionWithDeadRun({ resume: false });
  await leaseTick();
  const runs = await listSessionRuns({ sessionId, workspaceId: await testWorkspaceId() });
  expect(runs.at(-1)).toMatchObject({
    id: deadRunId,
    status: "failed",
    errorCode: "unavailable:server_stopped",
    resumedByRunId: null,
  });
  const retry = await callRoute(runsRoute.POST, {
    method: "POST",
    params: { id: sessionId },
    body: { fromStepId: lastDone },
  });
  expect(retry.json.run).toMatchObject({ resumesRunId: null });
  await waitForRun(retry.json.run.id);
});

test("a run is resumed once: two resumes at once, and one after, answer the same run instead of a database error", async () => {
  // a lease still valid: nothing but this test finishes the run, and the setting is off: nothing resumes it on its own
  const { sessionId, deadRunId, lastDone } = await sessionWithDeadRun({ resume: false, leaseMs: 600_000 });
  await finishOrphanedRuns(SERVER_STOPPED, { runId: deadRunId, anyLease: true });
  const workspaceId = await testWorkspaceId();
  const resume = () => resumeRun({ sessionId, workspaceId, fromStepId: lastDone, resumesRunId: deadRunId });

  const [first, second] = await Promise.all([resume(), resume()]);
  expect([first.started, second.started]).toEqual([true, false]);
  expect(second.run.id).toBe(first.run.id);
  await waitForRun(first.run.id);
  // after it ended, as a suite's task or another instance's heartbeat would try again: the row's unique key answers
  expect(await resume()).toMatchObject({ started: false, run: { id: first.run.id, resumesRunId: deadRunId } });

  const runs = await listSessionRuns({ sessionId, workspaceId });
  expect(runs.filter((run) => run.resumesRunId === deadRunId).map((run) => run.id)).toEqual([first.run.id]);
  expect(runs.find((run) => run.id === deadRunId)?.resumedByRunId).toBe(first.run.id);
});

test("startRun asked to resume a run resumed already is a 409 naming the run that resumed it, not a database error (a 500)", async () => {
  const { sessionId, deadRunId, lastDone } = await sessionWithDeadRun({ resume: false, leaseMs: 600_000 });
  await finishOrphanedRuns(SERVER_STOPPED, { runId: deadRunId, anyLease: true });
  const workspaceId = await testWorkspaceId();
  const { run: first } = await resumeRun({ sessionId, workspaceId, fromStepId: lastDone, resumesRunId: deadRunId });
  await waitForRun(first.id);

  const again = startRun({ sessionId, workspaceId, fromStepId: lastDone, resumesRunId: deadRunId });
  await expect(again).rejects.toMatchObject({
    code: "conflict:run",
    status: 409,
    details: { resumedByRunId: first.id },
  });
  const runs = await listSessionRuns({ sessionId, workspaceId });
  expect(runs.filter((run) => run.resumesRunId === deadRunId).map((run) => run.id)).toEqual([first.id]);
});
