import { describe, expect, test } from "vitest";
import * as approvalsRoute from "@/app/api/approvals/route";
import * as cancelRoute from "@/app/api/runs/[runId]/cancel/route";
import * as sendCommentRoute from "@/app/api/sessions/[id]/comments/[commentId]/send/route";
import * as commentsRoute from "@/app/api/sessions/[id]/comments/route";
import * as filesRoute from "@/app/api/sessions/[id]/files/route";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as approvalRoute from "@/app/api/sessions/[id]/steps/[stepId]/approval/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { leaseTick } from "@/lib/agent/run-lease";
import { getDatabase } from "@/lib/db/client";
import { finishOrphanedRuns, SERVER_STOPPED } from "@/lib/db/runs";
import { listSessionSteps } from "@/lib/db/steps";
import type { RecordedRequest } from "@/lib/model/emulator";
import { processState } from "@/lib/process-state";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { ModelRoute, StepNode } from "@/lib/steps/types";
import { callRoute } from "../api";
import { testWorkspaceId } from "../workspace";
import { emulatorForFile } from "./emulator-env";

/**
 * The plan gate end to end on one route (issue 12 items 2, 3 and 8): real route handlers →
 * run loop → the MiniMax provider → the wire emulator. A session that asks before applying
 * code pauses at each file write; approve, edit-then-approve and reject each reach the model
 * as that call's tool result — never as a user message — and the emulator's record proves
 * every earlier turn's thinking is replayed exactly after each decision.
 */
export function describePlanGate(route: ModelRoute) {
  const emulator = emulatorForFile({ MINIMAX_API: route, MODEL_STALL_TIMEOUT_MS: "2000" });

  async function gatedSession(): Promise<string> {
    const created = await callRoute(sessionsRoute.POST, {
      method: "POST",
      body: { task: "Write a sum function with tests [emulator:scenario=sum]", modelId: "MiniMax-M2" },
    });
    expect(created.status).toBe(201);
    const patched = await callRoute(sessionRoute.PATCH, {
      method: "PATCH",
      params: { id: created.json.session.id },
      body: { askBeforeApplying: true },
    });
    expect(patched.json.session.settings).toMatchObject({ askBeforeApplying: true });
    return created.json.session.id;
  }

  async function branch(sessionId: string): Promise<StepNode[]> {
    const { prisma } = await getDatabase();
    const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    const steps = await listSessionSteps({ sessionId, workspaceId: await testWorkspaceId() });
    return pathTo(indexSteps(steps), session.activeLeafId ?? "");
  }

  /** Starts a run and waits until it pauses (or ends); answers its id and the waiting call. */
  async function runUntilPaused(sessionId: string) {
    const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
    expect(started.status).toBe(202);
    await waitForRun(started.json.run.id);
    return { runId: started.json.run.id as string, ...(await pausedAt(sessionId)) };
  }

  async function pausedAt(sessionId: string) {
    const path = await branch(sessionId);
    const waiting = path.filter((step) => step.status === "awaiting_approval");
    return { path, call: waiting.at(-1) };
  }

  async function decide(sessionId: string, stepId: string, body: Record<string, unknown>) {
    return callRoute(approvalRoute.POST, { method: "POST", params: { id: sessionId, stepId }, body });
  }

  async function runStatus(runId: string) {
    const { prisma } = await getDatabase();
    return prisma.run.findUniqueOrThrow({ where: { id: runId } });
  }

  const requestsOf = (): RecordedRequest[] => emulator().requests.filter((request) => request.route === route);

  /** The tool result the request ends with (Anthropic: a user message of tool_result blocks; OpenAI: a tool message). */
  function lastToolResult(request: RecordedRequest | undefined): { text: string; isError: boolean } {
    const messages = request?.body.messages as any[];
    const last = messages.at(-1);
    if (route === "anthropic") {
      expect(last.role).toBe("user");
      const block = last.content.at(-1);
      expect(block.type).toBe("tool_result");
      const text = typeof block.content === "string" ? block.content : block.content.map((c: any) => c.text).join("");
      return { text, isError: block.is_error === true };
    }
    expect(last.role).toBe("tool");
    return { text: String(last.content), isError: false };
  }

  /** Every earlier turn's thinking is in the request exactly as stored (signed on the Anthropic route). */
  function expectThinkingKept(request: RecordedRequest | undefined, path: StepNode[], turns: number) {
    expect(request?.replay.problems).toEqual([]);
    expect(request?.replay.ok).toBe(true);
    expect(request?.replay.assistantTurns).toBe(turns);
    expect(request?.replay.turnsWithThinking).toBe(turns);
    if (route === "anthropic") expect(request?.replay.signedTurns).toBe(turns);
    const thinking = path.filter((step) => step.kind === "thinking").slice(0, turns);
    expect(request?.replay.thinkingByTurn).toEqual(thinking.map((step) => step.content));
    // no user message after the task (Anthropic's tool results ride in user messages of tool_result blocks only)
    const spoken = ((request?.body.messages ?? []) as any[])
      .filter((message) => message.role === "user")
      .slice(1)
      .filter((message) => route === "openai" || message.content.some((block: any) => block.type !== "tool_result"));
    expect(spoken).toEqual([]);
  }

  describe(`the plan gate on the ${route} route`, () => {
    test("each file write pauses the run; approve runs it as sent and the thinking replays exactly", async () => {
      emulator().reset();
      const sessionId = await gatedSession();
      const first = await runUntilPaused(sessionId);
      expect((await runStatus(first.runId)).status).toBe("awaiting_approval");
      expect((await runStatus(first.runId)).ownerId).toBeNull();
      expect(first.call?.providerData?.toolName).toBe("write_file");
      expect(first.path.at(-1)?.id).toBe(first.call?.id);
      expect(filesAt(first.path).has("src/sum.ts")).toBe(false);
      expect(requestsOf()).toHaveLength(1);

      const listed = await callRoute(approvalsRoute.GET, {});
      expect(listed.json.approvals).toContainEqual(
        expect.objectContaining({ sessionId, stepId: first.call?.id, toolName: "write_file", path: "src/sum.ts" }),
      );

      const approved = await decide(sessionId, first.call?.id ?? "", { decision: "approve" });
      expect(approved.status).toBe(200);
      expect(approved.json.run.status).toBe("running");
      await waitForRun(first.runId);

      // paused again at turn 2's write, after one more request that replayed turn 1 exactly
      const second = await pausedAt(sessionId);
      expect(second.call?.turn).toBe(2);
      expect((await runStatus(first.runId)).status).toBe("awaiting_approval");
      const [, request] = requestsOf();
      expect(requestsOf()).toHaveLength(2);
      expectThinkingKept(request, second.path, 1);
      const result = lastToolResult(request);
      expect(result.text).toMatch(/^Wrote src\/sum\.ts \(\d+ lines?\)$/);
      expect(result.isError).toBe(false);
      const resultStep = second.path.find((step) => step.kind === "tool_result");
      expect(resultStep?.providerData?.review).toMatchObject({ decision: "approved" });
      expect(filesAt(second.path).has("src/sum.ts")).toBe(true);

      // approve the rest: the run finishes; one request per turn, none repeated
      await decide(sessionId, second.call?.id ?? "", { decision: "approve" });
      await waitForRun(first.runId);
      const third = await pausedAt(sessionId);
      expect(third.call?.providerData?.toolName).toBe("edit_file");
      await decide(sessionId, third.call?.id ?? "", { decision: "approve", comment: "Good catch." });
      await waitForRun(first.runId);
      const done = await runStatus(first.runId);
      expect(done.status).toBe("done");
      expect(done.inputTokens).toBeGreaterThan(0);
      const requests = requestsOf();
      expect(requests).toHaveLength(4);
      const path = await branch(sessionId);
      expectThinkingKept(requests[3], path, 3);
      expect(lastToolResult(requests[3]).text).toContain("approved this change and noted: Good catch.");
      expect(path.every((step) => step.status === "done")).toBe(true);
    });

    test("edit then approve: the reviewer's content is written and the result shows their change as a diff", async () => {
      emulator().reset();
      const sessionId = await gatedSession();
      const { runId, call, path: before } = await runUntilPaused(sessionId);
      const proposed = JSON.parse(call?.providerData?.toolInput ?? "{}").content as string;
      const edited = `${proposed}\n/** Reviewed: sums are exact for safe integers. */\n`;
      const decided = await decide(sessionId, call?.id ?? "", { decision: "approve", content: edited });
      expect(decided.status).toBe(200);
      await waitForRun(runId);

      const { path } = await pausedAt(sessionId);
      expect(filesAt(path).get("src/sum.ts")).toBe(edited);
      const request = requestsOf()[1];
      expectThinkingKept(request, path, 1);
      const result = lastToolResult(request);
      expect(result.isError).toBe(false);
      expect(result.text).toContain("edited your proposed content before approving it");
      expect(result.text).toContain("+/** Reviewed: sums are exact for safe integers. */");
      expect(result.text).toContain("--- a/src/sum.ts");
      // the model's own call replays as it sent it: the edit is the reviewer's, in the result
      const sent = JSON.stringify(request?.body.messages);
      expect(sent.split("Reviewed: sums are exact").length).toBe(2);
      const assistant = ((request?.body.messages ?? []) as any[]).find((message) => message.role === "assistant");
      const sentInput =
        route === "anthropic"
          ? assistant.content.find((block: any) => block.type === "tool_use").input
          : JSON.parse(assistant.tool_calls[0].function.arguments);
      expect(sentInput.content).toBe(proposed);
      const resultStep = path.find((step) => step.kind === "tool_result");
      expect(resultStep?.providerData?.review).toMatchObject({ decision: "edited" });
      expect(before.at(-1)?.id).toBe(call?.id);

      // Stop while it waits again: the run is cancelled at once, the change not applied, nothing waits
      const stopped = await callRoute(cancelRoute.POST, { method: "POST", params: { runId } });
      expect(stopped.json.run.status).toBe("cancelled");
      const after = await pausedAt(sessionId);
      expect(after.call).toBeUndefined();
      const listed = await callRoute(approvalsRoute.GET, {});
      expect(listed.json.approvals.filter((a: any) => a.sessionId === sessionId)).toEqual([]);
    });

    test("reject with a comment: the model reads it as the call's result, nothing is written, and it plans again", async () => {
      emulator().reset();
      const sessionId = await gatedSession();
      const { runId, call } = await runUntilPaused(sessionId);
      const refused = await decide(sessionId, call?.id ?? "", { decision: "reject" });
      expect(refused.status).toBe(400);
      const rejected = await decide(sessionId, call?.id ?? "", {
        decision: "reject",
        comment: "Use a for loop, reduce is hard to read here.",
      });
      expect(rejected.status).toBe(200);
      await waitForRun(runId);

      const { path } = await pausedAt(sessionId);
      expect(filesAt(path).has("src/sum.ts")).toBe(false);
      const resultStep = path.find((step) => step.kind === "tool_result");
      expect(resultStep?.providerData).toMatchObject({ isError: true, review: { decision: "rejected" } });
      const request = requestsOf()[1];
      expectThinkingKept(request, path, 1);
      const result = lastToolResult(request);
      expect(result.text).toContain("rejected this change, so it was not applied");
      expect(result.text).toContain("Their comment: Use a for loop, reduce is hard to read here.");
      if (route === "anthropic") expect(result.isError).toBe(true);
      // the model's next step is its thinking about that result (a new turn after the tool result)
      const afterResult = path[path.indexOf(resultStep as StepNode) + 1];
      expect(afterResult?.kind).toBe("thinking");
      expect(afterResult?.turn).toBe(2);
      await callRoute(cancelRoute.POST, { method: "POST", params: { runId } });
    });

    test("two people deciding at once: exactly one wins, the other gets a 409", async () => {
      emulator().reset();
      const sessionId = await gatedSession();
      const { runId, call } = await runUntilPaused(sessionId);
      const both = await Promise.all([
        decide(sessionId, call?.id ?? "", { decision: "approve" }),
        decide(sessionId, call?.id ?? "", { decision: "reject", comment: "No." }),
      ]);
      expect(both.map((response) => response.status).sort()).toEqual([200, 409]);
      const loser = both.find((response) => response.status === 409);
      expect(loser?.json.error.code).toBe("conflict:approval");
      expect(loser?.json.error.message).toMatch(/already (approved|rejected)/);
      await waitForRun(runId);
      const again = await decide(sessionId, call?.id ?? "", { decision: "approve" });
      expect(again.status).toBe(409);
      const nothing = await decide(sessionId, (await branch(sessionId))[0]?.id ?? "", { decision: "approve" });
      expect(nothing.status).toBe(404);
      await callRoute(cancelRoute.POST, { method: "POST", params: { runId } });
    });

    test("a file saved after a tool result rides in that result, labelled as the person's; the thinking replays", async () => {
      emulator().reset();
      const created = await callRoute(sessionsRoute.POST, {
        method: "POST",
        body: { task: "Write a sum function with tests [emulator:scenario=sum]", modelId: "MiniMax-M2", maxTurns: 1 },
      });
      const sessionId: string = created.json.session.id;
      const first = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
      await waitForRun(first.json.run.id);
      const resultStep = (await branch(sessionId)).at(-1) as StepNode;
      expect(resultStep.kind).toBe("tool_result");
      const saved = await callRoute(filesRoute.POST, {
        method: "POST",
        params: { id: sessionId },
        body: { afterStepId: resultStep.id, path: "src/sum.ts", content: "export const sum = (a: number[]) => 0;\n" },
      });
      expect(saved.status).toBe(201);
      expect(saved.json.step.providerData.replayAs).toBe("tool_result");

      emulator().reset();
      const next = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
      await waitForRun(next.json.run.id);
      const [request] = requestsOf();
      const path = await branch(sessionId);
      expectThinkingKept(request, path, 1);
      const result = lastToolResult(request);
      expect(result.text).toMatch(
        /^Wrote src\/sum\.ts \(\d+ lines?\)\n\n---\nAfter this result, the person edited src\/sum\.ts/,
      );
      expect(result.text).toContain("export const sum = (a: number[]) => 0;");
      expect(request?.turnIndex).toBe(1);
    });

    test("Send to model on a comment after a tool result: it rides in that result, labelled as the reviewer's", async () => {
      emulator().reset();
      const created = await callRoute(sessionsRoute.POST, {
        method: "POST",
        body: { task: "Write a sum function with tests [emulator:scenario=sum]", modelId: "MiniMax-M2", maxTurns: 1 },
      });
      const sessionId: string = created.json.session.id;
      const first = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
      await waitForRun(first.json.run.id);
      const resultStep = (await branch(sessionId)).at(-1) as StepNode;
      const comment = await callRoute(commentsRoute.POST, {
        method: "POST",
        params: { id: sessionId },
        body: { stepId: resultStep.id, body: "Name the parameter numbers, not values." },
      });
      expect(comment.status).toBe(201);
      // what the UI says before sending: it will ride in the tool result
      const preview = await callRoute(sendCommentRoute.GET, {
        params: { id: sessionId, commentId: comment.json.comment.id },
      });
      expect(preview.json).toEqual({ replayAs: "tool_result" });
      emulator().reset();
      const sent = await callRoute(sendCommentRoute.POST, {
        method: "POST",
        params: { id: sessionId, commentId: comment.json.comment.id },
      });
      expect(sent.status).toBe(202);
      expect(sent.json.step.providerData).toMatchObject({
        replayAs: "tool_result",
        comment: { id: comment.json.comment.id },
      });
      await waitForRun(sent.json.run.id);
      const [request] = requestsOf();
      expectThinkingKept(request, await branch(sessionId), 1);
      expect(lastToolResult(request).text).toMatch(
        /\n\n---\nAfter this result, a reviewer \(.+\) commented:\nName the parameter numbers, not values\.$/,
      );
      const missing = await callRoute(sendCommentRoute.POST, {
        method: "POST",
        params: { id: sessionId, commentId: "nope" },
      });
      expect(missing.status).toBe(404);
    });

    test("a pending approval survives a restart and another instance continues the run", async () => {
      emulator().reset();
      const sessionId = await gatedSession();
      const { runId, call } = await runUntilPaused(sessionId);
      // what a restart does to runs: the embedded database's start finishes every active run
      // it finds, any lease; heartbeats finish lapsed ones — a paused run is neither
      await finishOrphanedRuns(SERVER_STOPPED, { anyLease: true });
      await leaseTick();
      expect((await runStatus(runId)).status).toBe("awaiting_approval");

      // another instance (a new process id) reads it back and takes the decision
      const state = processState();
      const before = state.instanceId;
      state.instanceId = "another-instance";
      try {
        const listed = await callRoute(approvalsRoute.GET, {});
        expect(listed.json.approvals.map((a: any) => a.stepId)).toContain(call?.id);
        const decided = await decide(sessionId, call?.id ?? "", { decision: "approve" });
        expect(decided.status).toBe(200);
        expect((await runStatus(runId)).ownerId).toBe("another-instance");
        await waitForRun(runId);
      } finally {
        state.instanceId = before;
      }
      const { path } = await pausedAt(sessionId);
      expectThinkingKept(requestsOf()[1], path, 1);
      await callRoute(cancelRoute.POST, { method: "POST", params: { runId } });
    });
  });
}
