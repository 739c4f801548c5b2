import { expect, test } from "vitest";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { installGracefulShutdown } from "@/lib/agent/shutdown";
import { getDatabase } from "@/lib/db/client";
import { callRoute } from "../api";
import { emulatorForFile } from "./emulator-env";

/** SIGTERM while a run streams: the run records how it ended and keeps its steps; no new run starts. */

const emulator = emulatorForFile({ MODEL_STALL_TIMEOUT_MS: "20000" });

test("on SIGTERM the server fails its runs honestly, saves their steps, refuses new ones, then exits", async () => {
  const created = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  const sessionId = created.json.session.id;
  emulator().setFault({ type: "stall", afterChunks: 8 });
  const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
  expect(started.status).toBe(202);
  const { stepRows } = await getDatabase();
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
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([143]);
  } finally {
    uninstall();
  }

  const { prisma } = await getDatabase();
  const run = await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } });
  expect(run).toMatchObject({ status: "failed", errorCode: "unavailable:shutdown" });
  expect(run.errorMessage).toBe("The server restarted while this run was going.");
  expect(run.finishedAt).not.toBeNull();
  const steps = await prisma.step.findMany({ where: { runId: run.id } });
  const interrupted = steps.filter((step) => step.status === "interrupted");
  expect(interrupted).toHaveLength(1);
  expect(interrupted[0]?.content.length).toBeGreaterThan(0);
  expect(steps.some((step) => step.status === "streaming")).toBe(false);

  const refused = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
  expect(refused.status).toBe(503);
  expect(refused.json.error.message).toMatch(/restarting/);
});
