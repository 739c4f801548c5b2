import { expect, test } from "vitest";
import * as collection from "@/app/api/sessions/route";
import { callRoute } from "@/test/api";
import { getDatabase } from "./client";
import { recordRunEnd, recordRunProgress } from "./runs";

async function newRun(): Promise<{ runId: string; sessionId: string }> {
  const { json } = await callRoute(collection.POST, { method: "POST", body: { task: "Run rows" } });
  const { prisma } = await getDatabase();
  const run = await prisma.run.create({
    data: { sessionId: json.session.id, modelId: "MiniMax-M2", status: "running", startedAt: new Date() },
  });
  return { runId: run.id, sessionId: json.session.id };
}

const totals = { inputTokens: 1200, outputTokens: 340, reasoningTokens: 200, costUsd: 0.000_612 };

test("progress records the totals and says to go on until someone asks the run to stop", async () => {
  const { runId } = await newRun();
  const { prisma, query } = await getDatabase();
  expect(await recordRunProgress(query, runId, totals)).toBe(false);
  expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject(totals);

  await prisma.run.update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } });
  expect(await recordRunProgress(query, runId, totals)).toBe(true);
});

test("a run whose row is gone with its session stops, and its end records nothing", async () => {
  const { runId, sessionId } = await newRun();
  const { prisma, query } = await getDatabase();
  await prisma.session.delete({ where: { id: sessionId } });
  expect(await recordRunProgress(query, runId, totals)).toBe(true);
  await expect(
    recordRunEnd(query, runId, {
      status: "cancelled",
      errorCode: null,
      errorMessage: null,
      finishedAt: new Date(),
      ...totals,
    }),
  ).resolves.toBeUndefined();
});

test("the end is stored as Prisma reads it, to the millisecond", async () => {
  const { runId } = await newRun();
  const { prisma, query } = await getDatabase();
  const finishedAt = new Date("2026-07-04T23:59:58.765Z");
  await recordRunEnd(query, runId, {
    status: "failed",
    errorCode: "upstream:rate_limit",
    errorMessage: 'MiniMax said "slow down" (429).',
    finishedAt,
    ...totals,
  });
  expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
    status: "failed",
    errorCode: "upstream:rate_limit",
    errorMessage: 'MiniMax said "slow down" (429).',
    finishedAt,
    ...totals,
  });
});
