import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { getDatabase } from "@/lib/db/client";
import { listSessionSteps } from "@/lib/db/steps";
import { type Emulator, startEmulator } from "@/lib/model/emulator";
import {
  STANDIN_OUTPUT_TOKENS,
  STANDIN_REASONING_TOKENS,
  type StandIn,
  SUM_SCRIPT,
  standInEncrypted,
  standInSignature,
  startStandIn,
} from "@/lib/model/standins/server";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import { callRoute } from "../api";

/**
 * OpenAI (Responses), Anthropic (Messages) and an OpenAI-compatible endpoint (Chat
 * Completions), each through the AI SDK's own provider package, against local stand-ins
 * of their wire formats: a two-turn tool loop per provider, with the first turn's
 * reasoning replayed by that provider's rules, and usage and cost from its price.
 * MiniMax-M3 is checked against the project's MiniMax emulator: it is asked to think.
 */

let standIn: StandIn;
let emulator: Emulator;

beforeAll(async () => {
  standIn = await startStandIn();
  emulator = await startEmulator({ chunkDelayMs: 0 });
  Object.assign(process.env, {
    MINIMAX_API_KEY: "minimax-key",
    MINIMAX_BASE_URL: emulator.url,
    MINIMAX_API: "anthropic",
    OPENAI_API_KEY: "openai-key",
    OPENAI_BASE_URL: `${standIn.url}/v1`,
    OPENAI_MODELS: "o4-mini",
    ANTHROPIC_API_KEY: "anthropic-key",
    ANTHROPIC_BASE_URL: `${standIn.url}/v1`,
    ANTHROPIC_MODELS: "claude-sonnet-4-5",
    OPENAI_COMPATIBLE_BASE_URL: `${standIn.url}/v1`,
    OPENAI_COMPATIBLE_API_KEY: "compatible-key",
    OPENAI_COMPATIBLE_MODELS: "qwen3-coder=0.2/0.8",
  });
});
afterAll(async () => {
  await standIn.close();
  await emulator.close();
});
beforeEach(() => {
  standIn.reset();
  emulator.reset();
});

async function runTask(modelId: string, task = "Write a sum function") {
  const created = await callRoute(sessionsRoute.POST, { method: "POST", body: { task, modelId } });
  expect(created.status).toBe(201);
  const session = created.json.session as { id: string };
  const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: session.id }, body: {} });
  expect(started.status).toBe(202);
  await waitForRun(started.json.run.id);
  const { prisma } = await getDatabase();
  const run = await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } });
  const row = await prisma.session.findUniqueOrThrow({ where: { id: session.id } });
  const path = pathTo(
    indexSteps(await listSessionSteps({ sessionId: session.id, workspaceId: row.workspaceId })),
    row.activeLeafId ?? "",
  );
  return { run, path };
}

const TOOL_LOOP = ["task", "thinking", "tool_call", "tool_result", "thinking", "text"];
const [first, second] = SUM_SCRIPT;

function expectToolLoop(path: StepNode[]) {
  expect(path.map((step) => step.kind)).toEqual(TOOL_LOOP);
  expect(path.every((step) => step.status === "done")).toBe(true);
  expect(path[1]?.content).toBe(first?.thinking);
  expect(path[4]?.content).toBe(second?.thinking);
  expect(path[5]?.content).toBe(second?.text);
  expect(path[3]?.providerData?.isError).toBe(false);
  expect(filesAt(path).get("src/sum.ts")).toBe(first?.toolCall?.input.content);
}

describe("OpenAI (Responses API)", () => {
  test("a tool loop streams reasoning summaries as thinking and replays the encrypted reasoning item", async () => {
    const { run, path } = await runTask("openai/o4-mini");
    expect(run.errorMessage).toBeNull();
    expect(run.status).toBe("done");
    expectToolLoop(path);

    expect(standIn.requests.map((r) => [r.wire, r.turn])).toEqual([
      ["openai-responses", 0],
      ["openai-responses", 1],
    ]);
    const [turnOne, turnTwo] = standIn.requests;
    expect(turnOne?.auth).toBe("Bearer openai-key");
    expect(turnOne?.body).toMatchObject({
      model: "o4-mini",
      store: false,
      include: ["reasoning.encrypted_content"],
      reasoning: { summary: "auto" },
    });
    const input = turnTwo?.body.input as Record<string, unknown>[];
    const reasoning = input.find((item) => item.type === "reasoning");
    expect(reasoning).toMatchObject({
      encrypted_content: standInEncrypted(first?.thinking ?? ""),
      summary: [{ type: "summary_text", text: first?.thinking }],
    });
    const call = input.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ name: "write_file", call_id: "call_standin_1" });
    expect(JSON.parse(String(call?.arguments))).toEqual(first?.toolCall?.input);
    expect(input.find((item) => item.type === "function_call_output")).toMatchObject({ call_id: "call_standin_1" });

    // OpenAI reports reasoning tokens: taken as reported, not estimated
    expect(run.reasoningTokens).toBe(2 * STANDIN_REASONING_TOKENS);
    expect(run.reasoningEstimated).toBe(false);
    expect(run.outputTokens).toBe(2 * STANDIN_OUTPUT_TOKENS);
    const expectedCost = (run.inputTokens * 1.1 + run.outputTokens * 4.4) / 1e6;
    expect(run.costUsd).toBeCloseTo(expectedCost, 10);
  });
});

describe("Anthropic (Messages API)", () => {
  test("a tool loop asks for extended thinking and replays each signed thinking block; reasoning is estimated", async () => {
    const { run, path } = await runTask("anthropic/claude-sonnet-4-5");
    expect(run.errorMessage).toBeNull();
    expect(run.status).toBe("done");
    expectToolLoop(path);
    expect(path[1]?.providerData?.providerMetadata?.anthropic).toMatchObject({
      signature: standInSignature(first?.thinking ?? ""),
    });

    expect(standIn.requests.map((r) => [r.wire, r.turn])).toEqual([
      ["anthropic", 0],
      ["anthropic", 1],
    ]);
    const [turnOne, turnTwo] = standIn.requests;
    expect(turnOne?.auth).toBe("anthropic-key");
    expect(turnOne?.body).toMatchObject({
      model: "claude-sonnet-4-5",
      thinking: { type: "enabled", budget_tokens: 8192 },
    });
    const messages = turnTwo?.body.messages as { role: string; content: Record<string, unknown>[] }[];
    const assistant = messages.find((message) => message.role === "assistant");
    expect(assistant?.content[0]).toEqual({
      type: "thinking",
      thinking: first?.thinking,
      signature: standInSignature(first?.thinking ?? ""),
    });
    expect(assistant?.content[1]).toMatchObject({
      type: "tool_use",
      name: "write_file",
      input: first?.toolCall?.input,
    });
    expect(messages.at(-1)?.content[0]).toMatchObject({ type: "tool_result" });

    // Anthropic reports output tokens only: reasoning is estimated from the thinking text and flagged
    expect(run.reasoningEstimated).toBe(true);
    expect(run.reasoningTokens).toBe(
      Math.ceil((first?.thinking.length ?? 0) / 4) + Math.ceil((second?.thinking.length ?? 0) / 4),
    );
    const thinking = path[1] as StepNode;
    expect(thinking.reasoningEstimated).toBe(true);
    expect(thinking.reasoningTokens).toBe(Math.ceil((first?.thinking.length ?? 0) / 4));
    expect(path[5]?.reasoningEstimated ?? null).toBeNull();
    expect(run.costUsd).toBeCloseTo((run.inputTokens * 3 + run.outputTokens * 15) / 1e6, 10);
  });
});

describe("An OpenAI-compatible endpoint (Chat Completions)", () => {
  test("a tool loop streams reasoning_content as thinking and sends it back; the listed price is charged", async () => {
    const { run, path } = await runTask("openai-compatible/qwen3-coder");
    expect(run.errorMessage).toBeNull();
    expect(run.status).toBe("done");
    expectToolLoop(path);

    const [turnOne, turnTwo] = standIn.requests;
    expect(turnOne?.wire).toBe("chat");
    expect(turnOne?.auth).toBe("Bearer compatible-key");
    expect(turnOne?.body).toMatchObject({ model: "qwen3-coder", stream: true });
    const messages = turnTwo?.body.messages as Record<string, unknown>[];
    const assistant = messages.find((message) => message.role === "assistant");
    expect(assistant?.reasoning_content).toBe(first?.thinking);
    expect(assistant?.tool_calls).toMatchObject([{ id: "call_standin_1", function: { name: "write_file" } }]);
    expect(messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_standin_1" });

    expect(run.reasoningTokens).toBe(2 * STANDIN_REASONING_TOKENS);
    expect(run.reasoningEstimated).toBe(false);
    expect(run.costUsd).toBeCloseTo((run.inputTokens * 0.2 + run.outputTokens * 0.8) / 1e6, 10);
  });
});

describe("MiniMax-M3", () => {
  test("is asked to think on the Anthropic route (it thinks only when asked); M2 is not", async () => {
    const m3 = await runTask("MiniMax-M3", "Write a sum function [emulator:scenario=sum]");
    expect(m3.run.status).toBe("done");
    expect(emulator.requests[0]?.body).toMatchObject({
      model: "MiniMax-M3",
      thinking: { type: "enabled", budget_tokens: 8192 },
    });
    // MiniMax's Anthropic route reports only output tokens: reasoning is estimated, never 0
    expect(m3.run.reasoningEstimated).toBe(true);
    expect(m3.run.reasoningTokens).toBeGreaterThan(0);

    emulator.reset();
    const m2 = await runTask("MiniMax-M2", "Write a sum function [emulator:scenario=sum]");
    expect(m2.run.status).toBe("done");
    expect(emulator.requests[0]?.body.thinking).toBeUndefined();
  });
});
