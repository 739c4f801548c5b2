import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import * as cancelRoute from "@/app/api/runs/[runId]/cancel/route";
import * as branchesRoute from "@/app/api/sessions/[id]/branches/route";
import * as eventsRoute from "@/app/api/sessions/[id]/events/route";
import * as filesRoute from "@/app/api/sessions/[id]/files/route";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as editRoute from "@/app/api/sessions/[id]/steps/[stepId]/edit/route";
import * as testRunsRoute from "@/app/api/sessions/[id]/test-runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { getDatabase } from "@/lib/db/client";
import { listSessionSteps } from "@/lib/db/steps";
import { type Emulator, startEmulator, type WireVariants } from "@/lib/model/emulator";
import { MARKUP_FILE, SCENARIOS } from "@/lib/model/emulator/scenarios";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { ModelRoute, StepNode } from "@/lib/steps/types";
import type { RunView } from "@/lib/wire/sessions";
import { callRoute } from "../api";
import { asTestUser } from "../auth";
import { testWorkspaceId } from "../workspace";

/**
 * The run pipeline end to end on one route: real route handlers → run loop → the real
 * MiniMax provider → the project's wire emulator over HTTP → steps in the database.
 * The emulator's request record proves what was sent back to the model.
 */
export function describeRunPipeline(route: ModelRoute) {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ chunkDelayMs: 0 });
    process.env.MINIMAX_API_KEY = "test-key";
    process.env.MINIMAX_BASE_URL = emulator.url;
    process.env.MINIMAX_API = route;
    // long enough that a busy CI machine can act (stop, edit) before a stalled stream gives up
    process.env.MODEL_STALL_TIMEOUT_MS = "2000";
  });
  afterAll(async () => emulator.close());
  beforeEach(() => emulator.reset());

  async function createSession(task: string, maxTurns?: number) {
    const { status, json } = await callRoute(sessionsRoute.POST, {
      method: "POST",
      body: { task, modelId: "MiniMax-M2", maxTurns },
    });
    expect(status).toBe(201);
    return json.session as { id: string; activeLeafId: string };
  }

  async function runToEnd(sessionId: string, fromStepId?: string): Promise<RunView> {
    const { status, json } = await callRoute(runsRoute.POST, {
      method: "POST",
      params: { id: sessionId },
      body: fromStepId ? { fromStepId } : {},
    });
    expect(status).toBe(202);
    await waitForRun(json.run.id);
    const { prisma } = await getDatabase();
    const run = await prisma.run.findUniqueOrThrow({ where: { id: json.run.id } });
    return { ...json.run, ...run } as unknown as RunView;
  }

  async function branch(sessionId: string): Promise<StepNode[]> {
    const { prisma } = await getDatabase();
    const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    return pathTo(
      indexSteps(await listSessionSteps({ sessionId, workspaceId: session.workspaceId })),
      session.activeLeafId ?? "",
    );
  }

  describe(`a run on the ${route} route`, () => {
    test("a 4-turn coding task streams into steps, files and usage", async () => {
      const session = await createSession("Write a sum function with tests [emulator:scenario=sum]");
      const run = await runToEnd(session.id);
      expect(run.status).toBe("done");
      expect(run.errorMessage).toBeNull();

      const path = await branch(session.id);
      expect(path.map((s) => s.kind)).toEqual([
        "task",
        ...["thinking", "tool_call", "tool_result"],
        ...["thinking", "tool_call", "tool_result"],
        ...["thinking", "tool_call", "tool_result"],
        "thinking",
        "text",
      ]);
      expect(path.every((s) => s.status === "done")).toBe(true);
      expect(path.slice(1).map((s) => s.turn)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4]);

      const toolCall = path[2] as StepNode;
      expect(toolCall.providerData?.toolName).toBe("write_file");
      expect(toolCall.providerData?.file).toMatchObject({ path: "src/sum.ts" });
      expect((toolCall.providerData?.file?.added ?? 0) > 0).toBe(true);
      expect(path[3]?.providerData?.isError).toBe(false);

      const files = filesAt(path);
      expect([...files.keys()].sort()).toContain("src/sum.ts");

      const thinking = path[1] as StepNode;
      expect(thinking.content.length).toBeGreaterThan(20);
      expect(thinking.outputTokens).toBeGreaterThan(0);
      expect(thinking.inputTokens).toBeGreaterThan(0);
      expect(thinking.costUsd).toBeGreaterThan(0);
      expect(thinking.finishedAt).not.toBeNull();
      expect(run.inputTokens).toBeGreaterThan(0);
      expect(run.costUsd).toBeGreaterThan(0);
      if (route === "anthropic") expect(thinking.providerData?.signature).toMatch(/^[0-9a-f]{64}$/);
      else expect(thinking.providerData?.raw).toMatch(/^<think>\n[\s\S]*<\/think>/);
    });

    test("every request replays every earlier turn's thinking exactly (the interleaved-thinking contract)", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      await runToEnd(session.id);
      const requests = emulator.requests.filter((r) => r.route === route);
      expect(requests).toHaveLength(4);
      requests.forEach((request, i) => {
        expect(request.replay.problems).toEqual([]);
        expect(request.replay.ok).toBe(true);
        expect(request.replay.assistantTurns).toBe(i);
        expect(request.replay.turnsWithThinking).toBe(i);
        if (route === "anthropic") expect(request.replay.signedTurns).toBe(i);
      });
      const path = await branch(session.id);
      const thinkingSteps = path.filter((s) => s.kind === "thinking");
      const last = requests[3];
      expect(last?.replay.thinkingByTurn).toEqual(thinkingSteps.slice(0, 3).map((s) => s.content));
    });

    test("output with NUL and lone surrogates is stored, read back and replayed exactly", async () => {
      const turns = SCENARIOS.find((scenario) => scenario.id === "unstorable")?.turns ?? [];
      const session = await createSession("Odd characters [emulator:scenario=unstorable]");
      const run = await runToEnd(session.id);
      expect(run.errorCode).toBeNull();
      expect(run.status).toBe("done");
      expect(await pendingSteps(session.id)).toEqual([]);

      const path = await branch(session.id);
      expect(path.every((s) => s.status === "done")).toBe(true);
      const thinking = path.filter((s) => s.kind === "thinking").map((s) => s.content);
      expect(thinking).toEqual(turns.map((turn) => turn.thinking));
      expect(path.at(-1)).toMatchObject({ kind: "text", content: turns[2]?.text });
      const writes = path.filter((s) => s.kind === "tool_call").map((s) => JSON.parse(s.providerData?.toolInput ?? ""));
      expect(writes).toEqual(turns.slice(0, 2).map((turn) => turn.toolCalls?.[0]?.input));
      expect(filesAt(path).get("src/odd.txt")).toBe("a\u0000b\udc00c 😀\n");

      // every request replays every earlier turn's reasoning and tool arguments as sent
      const requests = emulator.requests.filter((r) => r.route === route);
      expect(requests).toHaveLength(3);
      const last = requests[2];
      expect(last?.replay.problems).toEqual([]);
      expect(last?.replay.thinkingByTurn).toEqual(turns.slice(0, 2).map((turn) => turn.thinking));
      if (route === "anthropic") expect(last?.replay.signedTurns).toBe(2);
      const assistants = ((last?.body.messages ?? []) as any[]).filter((m) => m.role === "assistant");
      const replayedCalls =
        route === "anthropic"
          ? assistants.flatMap((m) => m.content.filter((b: any) => b.type === "tool_use").map((b: any) => b.input))
          : assistants.flatMap((m) => m.tool_calls.map((c: any) => JSON.parse(c.function.arguments)));
      expect(replayedCalls).toEqual(writes);
    });

    test("run-and-fix: the first code fails its tests, the model reads the failure, fixes it, the second run passes", async () => {
      const session = await createSession("Write a Roman numeral converter in Python [emulator:scenario=run-and-fix]");
      const run = await runToEnd(session.id);
      expect(run.status).toBe("done");
      expect(run.errorMessage).toBeNull();

      const path = await branch(session.id);
      const calls = path.filter((s) => s.kind === "tool_call").map((s) => s.providerData?.toolName);
      expect(calls).toEqual(["write_file", "write_file", "run_tests", "edit_file", "run_tests"]);
      const [first, second] = path.filter((s) => s.kind === "tool_result" && s.providerData?.toolName === "run_tests");
      expect(first?.status).toBe("done");
      // failing tests are not a failed call: the model gets the report, not an error
      expect(first?.providerData?.isError).toBe(false);
      expect(first?.providerData?.testReport).toMatchObject({
        language: "python",
        outcome: "completed",
        counts: { passed: 5, failed: 2, errors: 0, total: 7 },
      });
      expect(first?.content).toMatch(/^Python tests in test_roman\.py: 5 passed, 2 failed/);
      expect(first?.content).toContain("FAILED test_roman.py::test_four_is_subtractive");
      expect(first?.content).toContain("IIII");
      expect(second?.providerData?.testReport).toMatchObject({
        outcome: "completed",
        counts: { passed: 7, failed: 0 },
      });
      expect(second?.providerData?.testReport?.durationMs).toBeGreaterThanOrEqual(0);
      expect(filesAt(path).get("roman.py")).toContain('(4, "IV")');

      // The model was declared the tool, and the failing report went back to it as the call's result.
      const requests = emulator.requests.filter((r) => r.route === route);
      expect(requests).toHaveLength(6);
      const toolNames = (request: (typeof requests)[number]) =>
        (request.body.tools as any[]).map((tool) => tool.name ?? tool.function?.name);
      expect(toolNames(requests[0] as (typeof requests)[number])).toContain("run_tests");
      const fourth = JSON.stringify((requests[3] as (typeof requests)[number]).body.messages);
      expect(fourth).toContain("FAILED test_roman.py::test_four_is_subtractive");
      expect(fourth).toContain("5 passed, 2 failed");
      const sixth = JSON.stringify((requests[5] as (typeof requests)[number]).body.messages);
      expect(sixth).toContain("7 passed, 0 failed");
      for (const [i, request] of requests.entries()) {
        expect(request.replay.problems).toEqual([]);
        expect(request.replay.turnsWithThinking).toBe(i);
      }
    });

    test("the session's max turns stops the run", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]", 2);
      const run = await runToEnd(session.id);
      expect(run.errorMessage).toMatch(/2 turns/);
      expect(run.status).toBe("done");
      expect(run.errorCode).toBe("limit:max_turns");
      expect(run.errorMessage).toMatch(/2 turns/);
      expect(emulator.requests).toHaveLength(2);
    });

    test.each([
      [{ type: "http", status: 401 } as const, "upstream:auth", /401/],
      [{ type: "http", status: 402 } as const, "upstream:payment", /402/],
      [{ type: "http", status: 429 } as const, "upstream:rate_limit", /429/],
      [{ type: "http", status: 529 } as const, "upstream:overloaded", /529/],
      [{ type: "http", status: 500 } as const, "upstream:server", /500/],
      // MiniMax's own code wins over the status: a 500 `api_error` saying 1008 is about money
      [{ type: "http", status: 500, code: 1008 } as const, "upstream:payment", /insufficient.*1008.*top up/],
      [{ type: "base_resp", code: 1004 } as const, "upstream:auth", /1004/],
    ])("an upstream %o fails the run with a clear message", async (fault, code, message) => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      emulator.setFault(fault);
      const run = await runToEnd(session.id);
      expect(run.status).toBe("failed");
      expect(run.errorCode).toBe(code);
      expect(run.errorMessage).toMatch(message);
    });

    test("a reply with no content block at all fails the run as empty, and Retry asks again", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      emulator.setFault({ type: "empty" });
      const failed = await runToEnd(session.id);
      expect(failed.status).toBe("failed");
      expect(failed.errorCode).toBe("upstream:empty");
      expect(failed.errorMessage).toMatch(/returned nothing/);
      const task = (await branch(session.id))[0] as StepNode;
      expect(await branch(session.id)).toHaveLength(1);

      const retried = await runToEnd(session.id, task.id);
      expect(retried.status).toBe("done");
      expect(emulator.requests.at(-1)?.turnIndex).toBe(3);
    });

    test.each([
      [{ type: "drop", afterChunks: 6 } as const, "upstream:dropped"],
      [{ type: "stall", afterChunks: 6 } as const, "upstream:stalled"],
      [{ type: "malformed", afterChunks: 6 } as const, "upstream:malformed"],
    ])(
      "a broken stream (%o) keeps every step so far, and Retry continues from the last complete step",
      async (fault, code) => {
        const session = await createSession("Write a sum function [emulator:scenario=sum]");
        const first = await runToEnd(session.id);
        expect(first.status).toBe("done");
        const doneTask = (await branch(session.id))[0] as StepNode;

        emulator.reset();
        emulator.setFault(fault);
        const failed = await runToEnd(session.id, doneTask.id);
        expect(failed.status).toBe("failed");
        expect(failed.errorCode).toBe(code);
        const kept = await branch(session.id);
        const streamed = kept.slice(1);
        expect(streamed.length).toBeGreaterThan(0);
        expect(streamed.some((s) => s.content.length > 0)).toBe(true);
        expect(streamed.every((s) => s.status === "done" || s.status === "interrupted")).toBe(true);

        const lastComplete = [...kept].reverse().find((s) => s.status === "done") as StepNode;
        const retried = await runToEnd(session.id, lastComplete.id);
        expect(retried.status).toBe("done");
        for (const request of emulator.requests) expect(request.replay.problems).toEqual([]);
      },
    );

    test("Stop cancels the run; open steps become interrupted and keep their text", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      emulator.setFault({ type: "stall", afterChunks: 8 });
      const { json } = await callRoute(runsRoute.POST, { method: "POST", params: { id: session.id }, body: {} });
      await until(async () => (await pendingSteps(session.id)).some((step) => step.content.length > 0));
      const cancelled = await callRoute(cancelRoute.POST, { method: "POST", params: { runId: json.run.id } });
      expect(cancelled.status).toBe(200);
      expect(cancelled.json.run.status).toBe("cancelled");
      expect(cancelled.json.run.errorMessage).toMatch(/Stopped/);
      const path = await branch(session.id);
      const interrupted = path.filter((s) => s.status === "interrupted");
      expect(interrupted).toHaveLength(1);
      expect(interrupted[0]?.content.length).toBeGreaterThan(0);
      expect(path.at(-1)?.id).toBe(interrupted[0]?.id);
    });

    test("deleting a session while its run streams stops the run cleanly", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      emulator.setFault({ type: "stall", afterChunks: 8 });
      const { json } = await callRoute(runsRoute.POST, { method: "POST", params: { id: session.id }, body: {} });
      await until(async () => (await pendingSteps(session.id)).some((step) => step.content.length > 0));
      const deleted = await callRoute(sessionRoute.DELETE, { method: "DELETE", params: { id: session.id } });
      expect(deleted.status).toBe(204);
      await expect(waitForRun(json.run.id)).resolves.toBeUndefined();
      const { prisma } = await getDatabase();
      expect(await prisma.run.count({ where: { sessionId: session.id } })).toBe(0);
      expect(await prisma.step.count({ where: { sessionId: session.id } })).toBe(0);
    });

    test("a second run on a busy session is a 409; unknown steps are 404", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      const unknown = await callRoute(runsRoute.POST, {
        method: "POST",
        params: { id: session.id },
        body: { fromStepId: "nope" },
      });
      expect(unknown.status).toBe(404);
      const first = await callRoute(runsRoute.POST, { method: "POST", params: { id: session.id }, body: {} });
      const second = await callRoute(runsRoute.POST, { method: "POST", params: { id: session.id }, body: {} });
      expect(second.status).toBe(409);
      expect(second.json.error.message).toMatch(/already going/);
      await waitForRun(first.json.run.id);
    });

    test("the event stream sends a snapshot, then the live tail with sequence numbers", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      const controller = new AbortController();
      const request = await asTestUser(
        new Request(`http://localhost/api/sessions/${session.id}/events`, { signal: controller.signal }),
      );
      const response = await eventsRoute.GET(request, { params: Promise.resolve({ id: session.id }) });
      expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
      const messages = readSse(response);

      const snapshot = await messages.next();
      expect(snapshot.type).toBe("snapshot");
      expect(snapshot.steps).toHaveLength(1);

      const { json } = await callRoute(runsRoute.POST, { method: "POST", params: { id: session.id }, body: {} });
      const seen: any[] = [];
      for (;;) {
        const message = await messages.next();
        seen.push(message);
        if (message.type === "run.updated" && ["done", "failed"].includes(message.run.status)) break;
      }
      controller.abort();
      await waitForRun(json.run.id);
      expect(seen.at(-1).run.status).toBe("done");
      const seqs = seen.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seen.some((m) => m.type === "step.delta")).toBe(true);
      expect(seen.filter((m) => m.type === "step.created").length).toBe(11);

      const missedFrom = seen[5].seq;
      const replay = await eventsRoute.GET(
        await asTestUser(
          new Request(`http://localhost/api/sessions/${session.id}/events?after=${missedFrom}`, {
            signal: AbortSignal.timeout(2_000),
          }),
        ),
        { params: Promise.resolve({ id: session.id }) },
      );
      const replayed = readSse(replay);
      const firstReplayed = await replayed.next();
      expect(firstReplayed.seq).toBe(missedFrom + 1);
    });

    test("events for an unknown session are a 404, a bad `after` a 400", async () => {
      const missing = await eventsRoute.GET(
        await asTestUser(new Request("http://localhost/api/sessions/nope/events")),
        {
          params: Promise.resolve({ id: "nope" }),
        },
      );
      expect(missing.status).toBe(404);
      const session = await createSession("x");
      const bad = await eventsRoute.GET(
        await asTestUser(new Request(`http://localhost/api/sessions/${session.id}/events?after=-3`)),
        {
          params: Promise.resolve({ id: session.id }),
        },
      );
      expect(bad.status).toBe(400);
    });
  });
  describe(`every way a MiniMax server sends reasoning and tool calls, on the ${route} route`, () => {
    const sum = SCENARIOS.find((s) => s.id === "sum");

    /** The thinking flavours of this route: how the reasoning arrives, and where it must go back. */
    const flavours: [string, Partial<WireVariants>][] =
      route === "openai"
        ? [
            ["a vLLM/SGLang reasoning parser (reasoning_content)", { openaiReasoning: "reasoning_content" }],
            ["newer vLLM (reasoning)", { openaiReasoning: "reasoning" }],
          ]
        : [["reasoning as text with a literal <think>", { thinkAsText: true }]];

    test.each(flavours)(
      "%s: thinking steps, the answer as text, replayed the way the server expects",
      async (_: string, variant: Partial<WireVariants>) => {
        emulator.setVariants(variant);
        const session = await createSession("Write a sum function [emulator:scenario=sum]");
        const run = await runToEnd(session.id);
        expect(run.status).toBe("done");
        const path = await branch(session.id);
        const thinking = path.filter((s) => s.kind === "thinking").map((s) => s.content);
        expect(thinking).toEqual(sum?.turns.map((t) => t.thinking));
        expect(path.filter((s) => s.kind === "text").map((s) => s.content)).toEqual([sum?.turns[3]?.text]);
        expect(filesAt(path).get("src/sum.ts")).toContain("total + value, 0");

        const requests = emulator.requests;
        expect(requests).toHaveLength(4);
        for (const request of requests) expect(request.replay.problems).toEqual([]);
        const last = requests[3];
        expect(last?.replay.thinkingByTurn).toEqual(sum?.turns.slice(0, 3).map((t) => t.thinking));
        const field = variant.openaiReasoning;
        if (field) {
          expect(last?.replay.thinkingFieldByTurn).toEqual([field, field, field]);
          const assistants = ((last?.body.messages as any[] | undefined) ?? []).filter((m) => m.role === "assistant");
          for (const [i, message] of assistants.entries()) {
            expect(message[field]).toBe(sum?.turns[i]?.thinking);
            expect(message.content).not.toContain("<think>");
            expect(message.tool_calls).toHaveLength(1);
          }
        }
      },
    );

    test("tool calls sent as MiniMax XML inside the text run as tool calls, values keep their markup", async () => {
      emulator.setVariants(
        route === "openai" ? { toolCalls: "xml", openaiReasoning: "reasoning_content" } : { toolCalls: "xml" },
      );
      const session = await createSession("Save the example [emulator:scenario=markup]");
      const run = await runToEnd(session.id);
      expect(run.status).toBe("done");
      const path = await branch(session.id);
      expect(path.map((s) => s.kind)).toEqual([
        "task",
        ...["thinking", "text", "tool_call", "tool_result"],
        ...["thinking", "text"],
      ]);
      // the text keeps the line break the model wrote before the block; the block itself is gone
      expect(path[2]?.content).toBe("Saving the example file.\n");
      for (const step of path) expect(step.content).not.toContain("<minimax:tool_call>");
      expect(path[3]?.providerData?.toolName).toBe("write_file");
      expect(path[4]?.providerData?.isError).toBe(false);
      expect(filesAt(path).get("docs/example.xml")).toBe(MARKUP_FILE);

      // the replay carries the call as a structured call with its exact input, and its result
      const [, second] = emulator.requests;
      expect(second?.replay.problems).toEqual([]);
      const messages = second?.body.messages as any[];
      const assistant = messages.find((m) => m.role === "assistant");
      if (route === "openai") {
        expect(assistant.content).toBe("Saving the example file.\n");
        expect(assistant.reasoning_content).toBe(SCENARIOS.find((s) => s.id === "markup")?.turns[0]?.thinking);
        const [call] = assistant.tool_calls;
        expect(JSON.parse(call.function.arguments)).toEqual({ path: "docs/example.xml", content: MARKUP_FILE });
        expect(messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: call.id });
      } else {
        const call = assistant.content.find((b: any) => b.type === "tool_use");
        expect(call.input).toEqual({ path: "docs/example.xml", content: MARKUP_FILE });
        const texts = assistant.content.filter((b: any) => b.type === "text").map((b: any) => b.text);
        expect(texts).toEqual(["Saving the example file.\n"]);
        expect(messages.at(-1).content[0]).toMatchObject({ type: "tool_result", tool_use_id: call.id });
      }
    });
  });

  describe(`output cut at the token limit, on the ${route} route`, () => {
    const scenario = (id: string) => SCENARIOS.find((s) => s.id === id);

    test("cut inside a tool call: the run says so, the cut call is kept but not run, Continue finishes the turn", async () => {
      const session = await createSession("Write a greeting module [emulator:scenario=cut-call]");
      const cut = await runToEnd(session.id);
      expect(cut.status).toBe("done");
      expect(cut.errorCode).toBe("limit:max_tokens");
      expect(cut.errorMessage).toMatch(/limit of 16,384 output tokens in the middle of a tool call.*not run.*Continue/);
      const before = await branch(session.id);
      expect(before.map((s) => [s.kind, s.status])).toEqual([
        ["task", "done"],
        ["thinking", "done"],
        ["text", "done"],
        ["tool_call", "interrupted"],
      ]);
      const cutCall = before[3] as StepNode;
      expect(cutCall.providerData).toMatchObject({ cutAtLimit: true, toolName: "write_file" });
      expect(cutCall.content.length).toBeGreaterThan(10);
      expect(() => JSON.parse(cutCall.content)).toThrow();
      expect(filesAt(before).size).toBe(0);
      expect(emulator.requests).toHaveLength(1);

      // Continue = a run from the branch's end: the turn so far is the prefill, the cut call is not sent
      const continued = await runToEnd(session.id, cutCall.id);
      expect(continued.status).toBe("done");
      expect(continued.errorCode).toBeNull();
      const [resume] = emulator.requests.slice(1);
      expect(resume?.prefill).toBe(true);
      expect(resume?.replay.problems).toEqual([]);
      const last = (resume?.body.messages as any[] | undefined)?.at(-1);
      expect(last.role).toBe("assistant");
      expect(JSON.stringify(last)).not.toMatch(/tool_use|tool_calls/);
      expect(JSON.stringify(last)).toContain("Writing the module now.");
      const after = await branch(session.id);
      expect(after.slice(0, 4)).toEqual(before);
      expect(after.slice(4).map((s) => s.kind)).toEqual(["tool_call", "tool_result", "thinking", "text"]);
      expect(after[4]?.turn).toBe(1);
      expect(filesAt(after).get("src/greet.ts")).toBe(scenario("cut-call")?.turns[0]?.toolCalls?.[0]?.input.content);
    });

    test("cut inside the answer: the text is kept and marked, Continue appends the rest", async () => {
      const session = await createSession("How does a hash map work? [emulator:scenario=cut-text]");
      const cut = await runToEnd(session.id);
      expect(cut).toMatchObject({ status: "done", errorCode: "limit:max_tokens" });
      expect(cut.errorMessage).toMatch(/in the middle of its answer/);
      const before = await branch(session.id);
      const text = before.at(-1) as StepNode;
      expect(text).toMatchObject({ kind: "text", status: "done" });
      expect(text.providerData?.cutAtLimit).toBe(true);
      const answer = scenario("cut-text")?.turns[0]?.text ?? "";
      expect(answer.startsWith(text.content)).toBe(true);
      expect(text.content.length).toBeLessThan(answer.length);

      const continued = await runToEnd(session.id, text.id);
      expect(continued).toMatchObject({ status: "done", errorCode: null });
      const resume = emulator.requests[1];
      expect(resume?.prefill).toBe(true);
      expect(resume?.replay.problems).toEqual([]);
      const after = await branch(session.id);
      const texts = after.filter((s) => s.kind === "text");
      expect(texts.map((s) => s.content).join("")).toBe(answer);
      expect(texts.at(-1)?.providerData?.cutAtLimit).toBeUndefined();
    });
  });

  describe(`edit and regenerate on the ${route} route`, () => {
    test("an edited thinking step is continued as a prefill; earlier turns replay exactly; the original branch stays", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      await runToEnd(session.id);
      const original = await branch(session.id);
      const originalLeaf = original.at(-1) as StepNode;
      const secondThinking = original.filter((s) => s.kind === "thinking")[1] as StepNode;
      expect(secondThinking.turn).toBe(2);

      const edited = "Wait: the tests should live in test/sum.test.ts, not next to the source. I'll write them there.";
      const saved = await callRoute(editRoute.POST, {
        method: "POST",
        params: { id: session.id, stepId: secondThinking.id },
        body: { content: edited },
      });
      expect(saved.status).toBe(201);
      expect(saved.json.step).toMatchObject({
        kind: "thinking",
        origin: "human_edit",
        editedFromId: secondThinking.id,
        parentId: secondThinking.parentId,
        turn: 2,
        content: edited,
      });

      emulator.reset();
      const run = await runToEnd(session.id, saved.json.step.id);
      expect(run.status).toBe("done");

      const [continuation] = emulator.requests;
      expect(continuation?.prefill).toBe(true);
      expect(continuation?.replay.problems).toEqual([]);
      expect(continuation?.replay.assistantTurns).toBe(2);
      const firstThinking = original[1] as StepNode;
      expect(continuation?.replay.thinkingByTurn[0]).toBe(firstThinking.content);
      const messages = continuation?.body.messages as any[];
      const last = messages.at(-1);
      expect(last.role).toBe("assistant");
      if (route === "anthropic") {
        expect(continuation?.replay.signedTurns).toBe(1);
        const turnOne = messages.find((m) => m.role === "assistant");
        expect(turnOne.content[0]).toEqual({
          type: "thinking",
          thinking: firstThinking.content,
          signature: firstThinking.providerData?.signature,
        });
        expect(last.content).toEqual([{ type: "thinking", thinking: edited }]);
      } else {
        expect(last.content).toBe(`<think>\n${edited}`);
        expect(continuation?.body.continue_final_message).toBe(true);
        expect(continuation?.body.add_generation_prompt).toBe(false);
        const turnOne = messages.find((m) => m.role === "assistant");
        expect(turnOne.content.startsWith(firstThinking.providerData?.raw ?? "missing")).toBe(true);
      }
      for (const request of emulator.requests) expect(request.replay.problems).toEqual([]);

      const regenerated = await branch(session.id);
      const editedIndex = regenerated.findIndex((s) => s.id === saved.json.step.id);
      expect(editedIndex).toBe(4);
      expect(regenerated[editedIndex + 1]?.turn).toBe(2);
      expect(regenerated.at(-1)?.kind).toBe("text");

      const { prisma } = await getDatabase();
      const index = indexSteps(await listSessionSteps({ sessionId: session.id, workspaceId: await testWorkspaceId() }));
      expect(pathTo(index, originalLeaf.id)).toEqual(original);
      const siblings = await prisma.step.count({ where: { sessionId: session.id, parentId: secondThinking.parentId } });
      expect(siblings).toBe(2);

      const branches = await callRoute(branchesRoute.GET, { params: { id: session.id } });
      expect(branches.json.branches).toHaveLength(2);
      expect(branches.json.branches.map((b: any) => b.madeBy).sort()).toEqual(["human_edit", "model"]);
    });

    test("re-rolling from an untouched thinking step prefills it signed and exact", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      await runToEnd(session.id);
      const path = await branch(session.id);
      const thinking = path[1] as StepNode;
      emulator.reset();
      const run = await runToEnd(session.id, thinking.id);
      expect(run.status).toBe("done");
      const [first] = emulator.requests;
      expect(first?.prefill).toBe(true);
      expect(first?.replay.problems).toEqual([]);
      if (route === "anthropic") expect(first?.replay.signedTurns).toBe(1);
    });

    test("a file saved in the editor becomes a step the model is told about", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      await runToEnd(session.id);
      const leaf = (await branch(session.id)).at(-1) as StepNode;
      const saved = await callRoute(filesRoute.POST, {
        method: "POST",
        params: { id: session.id },
        body: {
          afterStepId: leaf.id,
          path: "./src/sum.ts",
          content: "export const sum = (a: number, b: number) => a + b;\n",
        },
      });
      expect(saved.status).toBe(201);
      expect(saved.json.step).toMatchObject({ kind: "user_note", origin: "human", parentId: leaf.id });
      const path = await branch(session.id);
      expect(filesAt(path).get("src/sum.ts")).toBe("export const sum = (a: number, b: number) => a + b;\n");

      emulator.reset();
      await runToEnd(session.id);
      const messages = emulator.requests[0]?.body.messages as any[];
      const lastUser = messages.filter((m) => m.role === "user").at(-1);
      expect(JSON.stringify(lastUser)).toContain("src/sum.ts");
      const badPath = await callRoute(filesRoute.POST, {
        method: "POST",
        params: { id: session.id },
        body: { afterStepId: leaf.id, path: "../etc/passwd", content: "x" },
      });
      expect(badPath.status).toBe(400);
    });

    test("a person's test run is a step; after a tool result it rides in that result, so the thinking replays", async () => {
      const session = await createSession("Write a sum function with tests [emulator:scenario=sum]");
      await runToEnd(session.id);
      const path = await branch(session.id);

      // At the end (after the model's answer): every test passes; it reaches the model as a message.
      const atEnd = await callRoute(testRunsRoute.POST, {
        method: "POST",
        params: { id: session.id },
        body: { afterStepId: (path.at(-1) as StepNode).id },
      });
      expect(atEnd.status).toBe(201);
      expect(atEnd.json.report).toMatchObject({ language: "typescript", counts: { passed: 3, failed: 0, total: 3 } });
      expect(atEnd.json.step).toMatchObject({
        kind: "user_note",
        origin: "human",
        parentId: (path.at(-1) as StepNode).id,
        providerData: { toolName: "run_tests", replayAs: "user_message", testReport: { counts: { passed: 3 } } },
      });
      expect(atEnd.json.step.content).toMatch(/^TypeScript tests in src\/sum\.test\.ts: 3 passed, 0 failed/);

      // After turn 2's tool result (the tests written, the bug not fixed yet): the empty list fails.
      const afterTests = path.filter((s) => s.kind === "tool_result")[1] as StepNode;
      const midway = await callRoute(testRunsRoute.POST, {
        method: "POST",
        params: { id: session.id },
        body: { afterStepId: afterTests.id, paths: ["src/sum.test.ts"] },
      });
      expect(midway.status).toBe(201);
      expect(midway.json.report.counts).toMatchObject({ passed: 2, total: 3 });
      expect(midway.json.step.providerData.replayAs).toBe("tool_result");
      const leaf = (await branch(session.id)).at(-1) as StepNode;
      expect(leaf.id).toBe(midway.json.step.id);

      emulator.reset();
      const continued = await runToEnd(session.id, leaf.id);
      expect(continued.status).toBe("done");
      const [request] = emulator.requests;
      const messages = request?.body.messages as any[];
      // no user message after the task: the person's run travels in the last tool result
      expect(messages.filter((m) => m.role === "user" && JSON.stringify(m).includes("ran the tests"))).toEqual(
        route === "anthropic" ? [expect.objectContaining({ role: "user" })] : [],
      );
      const last = JSON.stringify(messages.at(-1));
      expect(last).toContain("After this result, the person ran the tests from the editor");
      expect(last).toContain("2 passed, 0 failed, 1 error");
      expect(last).toContain("TypeError");
      if (route === "anthropic") expect(messages.at(-1).content[0].type).toBe("tool_result");
      else expect(messages.at(-1).role).toBe("tool");
      expect(request?.replay.problems).toEqual([]);
      expect(request?.replay.turnsWithThinking).toBe(2);
      expect(request?.turnIndex).toBe(2);
    });

    test("a person's test run is checked: bad input → 400, unknown step or session → 404, a streaming branch → 409", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      const taskId = session.activeLeafId;
      const call = (id: string, body: unknown) =>
        callRoute(testRunsRoute.POST, { method: "POST", params: { id }, body });
      const notArray = await call(session.id, { afterStepId: taskId, paths: "src/sum.test.ts" });
      expect(notArray.status).toBe(400);
      expect(notArray.json.error.message).toMatch(/paths/);
      expect((await call(session.id, {})).status).toBe(400);
      expect((await call(session.id, { afterStepId: "nope" })).status).toBe(404);
      expect((await call("nope", { afterStepId: taskId })).status).toBe(404);
      // no files yet: a report that says nothing ran, not an error response
      const empty = await call(session.id, { afterStepId: taskId });
      expect(empty.status).toBe(201);
      expect(empty.json.report.outcome).toBe("error");
      expect(empty.json.report.outcomeMessage).toMatch(/^Nothing ran/);

      emulator.setFault({ type: "stall", afterChunks: 4 });
      const started = await callRoute(runsRoute.POST, {
        method: "POST",
        params: { id: session.id },
        body: { fromStepId: taskId },
      });
      await until(async () => (await pendingSteps(session.id)).length > 0);
      const busy = await call(session.id, { afterStepId: taskId });
      expect(busy.status).toBe(409);
      await callRoute(cancelRoute.POST, { method: "POST", params: { runId: started.json.run.id } });
    });

    test("edits are checked: empty → 400, tool steps → 400, unknown or another session's step → 404, a streaming branch → 409", async () => {
      const session = await createSession("Write a sum function [emulator:scenario=sum]");
      const other = await createSession("Another session");
      await runToEnd(session.id);
      const path = await branch(session.id);
      const thinking = path[1] as StepNode;

      const empty = await callRoute(editRoute.POST, {
        method: "POST",
        params: { id: session.id, stepId: thinking.id },
        body: { content: "  " },
      });
      expect(empty.status).toBe(400);
      expect(empty.json.error.message).toMatch(/empty/);
      const tool = await callRoute(editRoute.POST, {
        method: "POST",
        params: { id: session.id, stepId: path[2]?.id ?? "" },
        body: { content: "x" },
      });
      expect(tool.status).toBe(400);
      const unknown = await callRoute(editRoute.POST, {
        method: "POST",
        params: { id: session.id, stepId: "nope" },
        body: { content: "x" },
      });
      expect(unknown.status).toBe(404);
      const foreign = await callRoute(editRoute.POST, {
        method: "POST",
        params: { id: other.id, stepId: thinking.id },
        body: { content: "x" },
      });
      expect(foreign.status).toBe(404);

      const a = await callRoute(editRoute.POST, {
        method: "POST",
        params: { id: session.id, stepId: thinking.id },
        body: { content: "edit A" },
      });
      const b = await callRoute(editRoute.POST, {
        method: "POST",
        params: { id: session.id, stepId: thinking.id },
        body: { content: "edit B" },
      });
      expect(a.json.step.id).not.toBe(b.json.step.id);
      expect([a.json.step.parentId, b.json.step.parentId]).toEqual([thinking.parentId, thinking.parentId]);

      emulator.setFault({ type: "stall", afterChunks: 4 });
      const started = await callRoute(runsRoute.POST, {
        method: "POST",
        params: { id: session.id },
        body: { fromStepId: thinking.id },
      });
      expect(started.status).toBe(202);
      await until(async () => (await pendingSteps(session.id)).length > 0);
      const busy = await callRoute(editRoute.POST, {
        method: "POST",
        params: { id: session.id, stepId: thinking.id },
        body: { content: "x" },
      });
      expect(busy.status).toBe(409);
      expect(busy.json.error.message).toMatch(/Stop it/);
      await callRoute(cancelRoute.POST, { method: "POST", params: { runId: started.json.run.id } });
    });
  });
}

/** Reads SSE `data:` messages from a response body, one JSON object at a time. */
function readSse(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const queue: any[] = [];
  return {
    async next(): Promise<any> {
      while (queue.length === 0) {
        const { done, value } = await reader.read();
        if (done) throw new Error("event stream ended");
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split("\n")
            .filter((line) => line.startsWith("data: "))
            .map((line) => line.slice(6))
            .join("\n");
          if (data) queue.push(JSON.parse(data));
          end = buffer.indexOf("\n\n");
        }
      }
      return queue.shift();
    },
  };
}

/** The session's steps the write-behind queue holds, not yet in their rows. */
async function pendingSteps(sessionId: string) {
  return (await getDatabase()).stepRows.pendingOf(sessionId);
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
