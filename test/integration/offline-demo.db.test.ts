import { beforeAll, expect, test } from "vitest";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { getDatabase } from "@/lib/db/client";
import { callRoute } from "../api";

/** The embedded default as a first-time user meets it: no MINIMAX_API_KEY, only the offline demo. */

beforeAll(() => {
  delete process.env.MINIMAX_API_KEY;
  process.env.OFFLINE_DEMO_CHUNK_DELAY_MS = "0";
});

test("without a key, MiniMax models are refused with a way forward", async () => {
  const { status, json } = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function", modelId: "MiniMax-M2" },
  });
  expect(status).toBe(400);
  expect(json.error.message).toMatch(/MINIMAX_API_KEY.*Offline demo/);
});

test("the offline demo is the default and runs a whole task through the real provider", async () => {
  const created = await callRoute(sessionsRoute.POST, { method: "POST", body: { task: "Write a sum function" } });
  expect(created.json.session.modelId).toBe("offline-demo");
  const started = await callRoute(runsRoute.POST, {
    method: "POST",
    params: { id: created.json.session.id },
    body: {},
  });
  expect(started.status).toBe(202);
  await waitForRun(started.json.run.id);
  const { prisma } = await getDatabase();
  const run = await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } });
  expect(run).toMatchObject({ status: "done", errorMessage: null, costUsd: 0 });
  const kinds = await prisma.step.groupBy({ by: ["kind"], where: { sessionId: run.sessionId }, _count: true });
  expect(Object.fromEntries(kinds.map((k) => [k.kind, k._count]))).toMatchObject({
    thinking: 4,
    tool_call: 3,
    text: 1,
  });
});

test("the offline demo plays the scenario that matches the task, and says it is scripted", async () => {
  const created = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "FizzBuzz in Python, with pytest tests" },
  });
  const started = await callRoute(runsRoute.POST, {
    method: "POST",
    params: { id: created.json.session.id },
    body: {},
  });
  await waitForRun(started.json.run.id);
  const { prisma } = await getDatabase();
  const steps = await prisma.step.findMany({
    where: { sessionId: created.json.session.id },
    orderBy: { createdAt: "asc" },
  });
  const thinking = steps.find((step) => step.kind === "thinking");
  expect(thinking?.content).toMatch(/^\(Offline demo: this is a scripted scenario, "FizzBuzz in Python with pytest"/);
  const written = steps
    .filter((step) => step.kind === "tool_call")
    .map((step) => JSON.parse((step.providerData as { toolInput: string }).toolInput).path);
  expect(written).toEqual(["fizzbuzz.py", "test_fizzbuzz.py"]);
  expect(steps.find((step) => step.kind === "text")?.content).toMatch(/Scripted by the offline demo/);
});
