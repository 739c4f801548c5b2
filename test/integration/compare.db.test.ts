import { afterAll, beforeAll, expect, test } from "vitest";
import * as comparisonRoute from "@/app/api/comparisons/[id]/route";
import * as comparisonsRoute from "@/app/api/comparisons/route";
import { waitForRun } from "@/lib/agent/run";
import { type Emulator, startEmulator } from "@/lib/model/emulator";
import { type StandIn, startStandIn } from "@/lib/model/standins/server";
import { callRoute } from "../api";

/** Compare through its API: MiniMax-M2 on the emulator and Claude on the Anthropic stand-in, one task. */

let standIn: StandIn;
let emulator: Emulator;

beforeAll(async () => {
  standIn = await startStandIn();
  emulator = await startEmulator({ chunkDelayMs: 0 });
  Object.assign(process.env, {
    MINIMAX_API_KEY: "minimax-key",
    MINIMAX_BASE_URL: emulator.url,
    MINIMAX_API: "anthropic",
    ANTHROPIC_API_KEY: "anthropic-key",
    ANTHROPIC_BASE_URL: `${standIn.url}/v1`,
    ANTHROPIC_MODELS: "claude-sonnet-4-5",
  });
});
afterAll(async () => {
  await standIn.close();
  await emulator.close();
});

test("one task on two models: two linked sessions, both runs, a table of numbers and the differences", async () => {
  const task = "Write a sum function [emulator:scenario=sum]";
  const created = await callRoute(comparisonsRoute.POST, {
    method: "POST",
    body: { task, modelIds: ["MiniMax-M2", "anthropic/claude-sonnet-4-5"] },
  });
  expect(created.status).toBe(201);
  const { id, sessions, runs } = created.json.comparison;
  expect(sessions.map((s: any) => [s.modelId, s.comparisonId])).toEqual([
    ["MiniMax-M2", id],
    ["anthropic/claude-sonnet-4-5", id],
  ]);
  await Promise.all(runs.map((run: any) => waitForRun(run.id)));

  const { status, json } = await callRoute(comparisonRoute.GET, { params: { id } });
  expect(status).toBe(200);
  const { comparison, differences } = json;
  expect(comparison.task).toBe(task);
  expect(comparison.entries.map((e: any) => [e.label, e.group, e.run.status])).toEqual([
    ["MiniMax-M2", "MiniMax", "done"],
    ["claude-sonnet-4-5", "Anthropic", "done"],
  ]);
  const [minimax, claude] = comparison.entries;
  expect(minimax.stats.turns).toBe(4);
  expect(claude.stats.turns).toBe(2);
  for (const entry of comparison.entries) {
    expect(entry.path[0].kind).toBe("task");
    expect(entry.stats.inputTokens).toBeGreaterThan(0);
    expect(entry.stats.costUsd).toBeGreaterThan(0);
    // both routes report only output tokens: reasoning estimated, never 0
    expect(entry.stats.reasoningEstimated).toBe(true);
    expect(entry.stats.reasoningTokens).toBeGreaterThan(0);
    expect(entry.stats.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(entry.stats.totalMs).toBeGreaterThanOrEqual(entry.stats.timeToFirstTokenMs);
    expect(entry.stats.tests).toBeNull();
  }
  expect(differences).toHaveLength(1);
  expect(differences[0].label).toBe("claude-sonnet-4-5");
  expect(differences[0].sentence).toMatch(/^[−+±]\d+ % tokens, .* vs MiniMax-M2$/);
  expect(differences[0].changes).toContain("−50 % turns");
});

test("bad input is a 400; an unknown comparison is a 404", async () => {
  const one = await callRoute(comparisonsRoute.POST, { method: "POST", body: { task: "x", modelIds: ["MiniMax-M2"] } });
  expect(one.status).toBe(400);
  expect(one.json.error.message).toMatch(/at least 2/);
  const five = await callRoute(comparisonsRoute.POST, {
    method: "POST",
    body: { task: "x", modelIds: ["a", "b", "c", "d", "e"] },
  });
  expect(five.json.error.message).toMatch(/at most 4/);
  const twice = await callRoute(comparisonsRoute.POST, {
    method: "POST",
    body: { task: "x", modelIds: ["MiniMax-M2", "MiniMax-M2"] },
  });
  expect(twice.json.error.message).toMatch(/each model once/);
  const off = await callRoute(comparisonsRoute.POST, {
    method: "POST",
    body: { task: "x", modelIds: ["MiniMax-M2", "openai/gpt-4o"] },
  });
  expect(off.status).toBe(400);
  expect(off.json.error.message).toMatch(/OPENAI_API_KEY/);
  const empty = await callRoute(comparisonsRoute.POST, { method: "POST", body: { task: " ", modelIds: [] } });
  expect(empty.status).toBe(400);

  const missing = await callRoute(comparisonRoute.GET, { params: { id: "no-such-comparison" } });
  expect(missing.status).toBe(404);
  expect(missing.json.error.code).toBe("not_found:comparison");
});
