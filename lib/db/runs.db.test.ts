import { expect, test } from "vitest";
import * as collection from "@/app/api/sessions/route";
import { callRoute } from "@/test/api";
import { getDatabase } from "./client";
import { RUN_INCLUDE, toRunView, toSessionSummary } from "./mappers";
import { insertRun, readRunStart, recordActiveLeaf, recordRunEnd, recordRunProgress, startingRun } from "./runs";

async function newRun(): Promise<{ runId: string; sessionId: string }> {
  const { json } = await callRoute(collection.POST, { method: "POST", body: { task: "Run rows" } });
  const { prisma } = await getDatabase();
  const run = await prisma.run.create({
    data: {
      sessionId: json.session.id,
      modelId: "MiniMax-M2",
      status: "running",
      startedAt: new Date(),
      // leased, so no other test's heartbeat on the shared database takes it for an orphan
      ownerId: "instance-a",
      leaseExpiresAt: new Date(Date.now() + 600_000),
    },
  });
  return { runId: run.id, sessionId: json.session.id };
}

const totals = {
  inputTokens: 1200,
  outputTokens: 340,
  reasoningTokens: 200,
  reasoningEstimated: true,
  costUsd: 0.000_612,
};

test("progress records the totals and says to go on until someone asks the run to stop", async () => {
  const { runId } = await newRun();
  const { prisma } = await getDatabase();
  expect(await recordRunProgress(runId, totals, "instance-a")).toBe(false);
  expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject(totals);

  await prisma.run.update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } });
  expect(await recordRunProgress(runId, totals, "instance-a")).toBe(true);
});

test("a run whose row is gone with its session stops, and its end records nothing", async () => {
  const { runId, sessionId } = await newRun();
  const { prisma } = await getDatabase();
  await prisma.session.delete({ where: { id: sessionId } });
  expect(await recordRunProgress(runId, totals, "instance-a")).toBe(true);
  await expect(
    recordRunEnd(
      runId,
      { status: "cancelled", errorCode: null, errorMessage: null, finishedAt: new Date(), ...totals },
      "instance-a",
    ),
  ).resolves.toBe(false);
});

test("the end is stored as Prisma reads it, to the millisecond", async () => {
  const { runId } = await newRun();
  const { prisma } = await getDatabase();
  const finishedAt = new Date("2026-07-04T23:59:58.765Z");
  const recorded = await recordRunEnd(
    runId,
    {
      status: "failed",
      errorCode: "upstream:rate_limit",
      errorMessage: 'MiniMax said "slow down" (429).',
      finishedAt,
      ...totals,
    },
    "instance-a",
  );
  expect(recorded).toBe(true);
  expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
    status: "failed",
    errorCode: "upstream:rate_limit",
    errorMessage: 'MiniMax said "slow down" (429).',
    finishedAt,
    ...totals,
  });
});

test("only the run's holder records its end: another instance, or the owner once the run was finished elsewhere, changes nothing", async () => {
  const { runId } = await newRun();
  const { prisma } = await getDatabase();
  const end = { status: "done", errorCode: null, errorMessage: null, finishedAt: new Date(), ...totals } as const;
  expect(await recordRunEnd(runId, end, "instance-b")).toBe(false);
  expect(await recordRunEnd(runId, end, null)).toBe(false);
  await prisma.run.update({
    where: { id: runId },
    data: { status: "failed", errorCode: "unavailable:server_stopped" },
  });
  expect(await recordRunEnd(runId, end, "instance-a")).toBe(false);
  expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
    status: "failed",
    errorCode: "unavailable:server_stopped",
    finishedAt: null,
  });

  const queued = await newRun();
  await prisma.run.update({
    where: { id: queued.runId },
    data: { status: "queued", ownerId: null, leaseExpiresAt: null },
  });
  expect(await recordRunEnd(queued.runId, { ...end, status: "failed" }, null)).toBe(true);
});

test("a run's start reads the session, the step it continues from and whether a run is going", async () => {
  const { runId, sessionId } = await newRun();
  const { prisma } = await getDatabase();
  const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
  const start = await readRunStart({ sessionId, workspaceId: session.workspaceId, fromStepId: null });
  expect(start?.session).toEqual(session);
  expect(start?.from).toEqual({ id: session.activeLeafId, status: "done" });
  expect(start?.busy).toBe(true);

  await prisma.run.update({ where: { id: runId }, data: { status: "done" } });
  expect((await readRunStart({ sessionId, workspaceId: session.workspaceId, fromStepId: null }))?.busy).toBe(false);
  const other = await newRun();
  const foreignStep = (await prisma.session.findUniqueOrThrow({ where: { id: other.sessionId } })).activeLeafId;
  expect(
    (await readRunStart({ sessionId, workspaceId: session.workspaceId, fromStepId: foreignStep }))?.from,
  ).toBeNull();
  expect(await readRunStart({ sessionId, workspaceId: "another-workspace", fromStepId: null })).toBeNull();
  expect(
    await readRunStart({ sessionId: "no-such-session", workspaceId: session.workspaceId, fromStepId: null }),
  ).toBeNull();
});

test("a run inserted from its view reads back as that view; the branch end updates the session", async () => {
  const { sessionId } = await newRun();
  const { prisma } = await getDatabase();
  const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
  const view = startingRun(
    { id: crypto.randomUUID(), sessionId, fromStepId: session.activeLeafId, modelId: "MiniMax-M2", resumesRunId: null },
    new Date("2026-05-06T07:08:09.012Z"),
  );
  await insertRun(view, { ownerId: "instance-a", leaseMs: 30_000 });
  expect(toRunView(await prisma.run.findUniqueOrThrow({ where: { id: view.id }, include: RUN_INCLUDE }))).toEqual(view);

  await prisma.session.update({ where: { id: sessionId }, data: { title: "Renamed meanwhile" } });
  const at = new Date("2026-05-06T07:08:10.345Z");
  const leafId = session.activeLeafId ?? "";
  expect(await recordActiveLeaf({ sessionId, leafId, at, runId: view.id, ownerId: "instance-b" })).toBeNull();
  const updated = await recordActiveLeaf({ sessionId, leafId, at, runId: view.id, ownerId: "instance-a" });
  expect(updated && toSessionSummary(updated)).toMatchObject({
    title: "Renamed meanwhile",
    updatedAt: at.toISOString(),
  });
  expect(await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).toEqual(updated);
  expect(
    await recordActiveLeaf({ sessionId: "gone", leafId: "x", at, runId: view.id, ownerId: "instance-a" }),
  ).toBeNull();
});
