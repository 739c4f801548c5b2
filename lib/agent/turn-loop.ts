import "server-only";
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4FunctionTool,
  SharedV4ProviderOptions,
} from "@ai-sdk/provider";
import { readDecisions } from "@/lib/db/approvals";
import type { RunTotals } from "@/lib/db/runs";
import { loadStartingFiles } from "@/lib/db/starting-files";
import { listSessionSteps } from "@/lib/db/steps";
import { type ModelPrice, priceCost } from "@/lib/model/catalog";
import { emptyReplyError, ModelCallError, streamPartsOf } from "@/lib/model/minimax";
import { languageModelFor } from "@/lib/model/registry";
import { executeReviewed, proposedWrite, type ReviewDecision } from "@/lib/review/decision";
import { formatTestReport, parseRunTestsInput, RUN_TESTS_TOOL_NAME, runTests } from "@/lib/sandbox";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { ModelRoute, ReviewRecord, StepNode } from "@/lib/steps/types";
import { FILE_TOOL_NAMES, type VirtualFiles } from "@/lib/steps/virtual-files";
import { buildModelHistory, nextTurnNumber, pendingToolCalls } from "./history";
import type { RunSteps } from "./run-steps";
import { type RunStop, STOPPED } from "./run-stop";
import type { LiveStep } from "./step-writer";
import { yieldToStreams } from "./stream-priority";
import { AGENT_SYSTEM_PROMPT } from "./system-prompt";
import { compactReport, isFailedTestRun, untilAborted } from "./test-runs";
import { AGENT_TOOL_DEFINITIONS, executeTool, type ToolExecution } from "./tools";
import { TurnRecorder } from "./turn-recorder";
import { apportionTurnUsage, turnUsageFrom } from "./usage";

/**
 * A run's turn loop: history → model → steps → tools → repeat, until the model answers
 * without a tool call or a limit stops it. It only streams steps (through the run's
 * RunSteps) and adds up usage; how the run ends is recorded by the run (run.ts, run-settle.ts).
 */

const MAX_OUTPUT_TOKENS = 16_384;

const TOOLS: LanguageModelV4FunctionTool[] = AGENT_TOOL_DEFINITIONS.map((tool) => ({
  type: "function",
  name: tool.name,
  description: tool.description,
  inputSchema: tool.inputSchema as LanguageModelV4FunctionTool["inputSchema"],
}));

/** A run's usage before its first turn. */
export function emptyTotals(): RunTotals {
  return { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, reasoningEstimated: false, costUsd: 0 };
}

/** The run pauses for a reviewer at this file-writing tool call (the plan gate, lib/review). */
export interface ApprovalPause {
  kind: "awaiting_approval";
  stepId: string;
}

/**
 * The plan gate as the run sees it: `ask` — the session asks before applying code, so a
 * file-writing call with no decision pauses the run; `decided` — decisions may exist for the
 * branch's pending calls (the gate is on, or the run continues after a decision), so they are
 * read before the calls run.
 */
export interface RunGate {
  ask: boolean;
  decided: boolean;
}

/**
 * Runs turns until the model answers without a tool call (returns null), a limit is met
 * (returns the stop), or a file-writing call waits for a reviewer (returns the pause). `afterTurn` is told the totals after every turn (the run records and
 * publishes them) and answers whether someone asked the run to stop. Throws the model's
 * error (a ModelCallError), an AppError, or the signal's reason once it is aborted.
 */
export async function runTurns({
  sessionId,
  workspaceId,
  modelId,
  maxTurns,
  steps,
  totals,
  afterTurn,
  signal,
  gate = { ask: false, decided: false },
}: {
  sessionId: string;
  workspaceId: string;
  modelId: string;
  maxTurns: number;
  steps: RunSteps;
  totals: RunTotals;
  afterTurn: () => Promise<boolean>;
  signal: AbortSignal;
  gate?: RunGate;
}): Promise<RunStop | ApprovalPause | null> {
  // the loop's first pass yields before any work of its own; these three are I/O, read together
  const [resolved, sessionSteps, start] = await Promise.all([
    languageModelFor(modelId),
    listSessionSteps({ sessionId, workspaceId, authors: false }),
    loadStartingFiles({ sessionId, workspaceId }),
  ]);
  let path = pathTo(indexSteps(sessionSteps), steps.fromStepId);
  let files: VirtualFiles = filesAt(path, start);

  for (let turnsTaken = 0; ; ) {
    await yieldToStreams();
    const toolResults = await runPendingTools({ path, files, steps, signal, gate, sessionId, workspaceId });
    files = toolResults.files;
    path = path.concat(toolResults.steps);
    if (toolResults.pausedAt) return { kind: "awaiting_approval", stepId: toolResults.pausedAt };

    if (signal.aborted) throw signal.reason;
    if (turnsTaken >= maxTurns) return { kind: "turn_limit", maxTurns };

    const turn = await streamTurn({
      model: resolved.model,
      route: resolved.route,
      providerOptions: resolved.providerOptions,
      path,
      start,
      steps,
      signal,
    });
    turnsTaken += 1;
    await yieldToStreams();
    const turnSteps = turn.steps.map((s) => steps.get(s.id)).filter((s): s is LiveStep => Boolean(s));
    chargeTurn(turnSteps, turn, resolved.price, totals);
    if (await afterTurn()) return STOPPED;
    path = path.concat(turnSteps.map((step) => step.node));
    // the turn is unfinished: run none of its calls; Continue resumes it from here
    if (turn.cutAtLimit) {
      return { kind: "output_limit", maxOutputTokens: MAX_OUTPUT_TOKENS, cutIn: turn.steps.at(-1)?.kind };
    }
    if (turn.toolCalls.length === 0) return null;
  }
}

/**
 * Execute the tool calls at the end of the path that have no result yet. File tools run
 * here at once; run_tests runs in the sandbox (see `runTestsCall`). Each tool parses its
 * own input (the arguments' JSON text as the model sent it). A file-writing call a reviewer
 * decided runs as decided (lib/review/decision.ts); with the gate on, the first one that
 * would write a file and has no decision stops the loop there (`pausedAt`), its calls before
 * it done.
 */
async function runPendingTools({
  path,
  files,
  steps,
  signal,
  gate,
  sessionId,
  workspaceId,
}: {
  path: StepNode[];
  files: VirtualFiles;
  steps: RunSteps;
  signal: AbortSignal;
  gate: RunGate;
  sessionId: string;
  workspaceId: string;
}): Promise<{ files: VirtualFiles; steps: StepNode[]; pausedAt?: string }> {
  const results: StepNode[] = [];
  let current = files;
  const pending = pendingToolCalls(path).filter((step) => step.status === "done");
  const fileCalls = pending.filter((call) => FILE_TOOL_NAMES.has(call.providerData?.toolName ?? ""));
  const decisions: Map<string, ReviewDecision> =
    gate.decided && fileCalls.length > 0
      ? await readDecisions({ sessionId, workspaceId, stepIds: fileCalls.map((call) => call.id) })
      : new Map();
  for (const call of pending) {
    const data = call.providerData ?? {};
    const input = data.toolInput ?? call.content;
    if (data.toolName === RUN_TESTS_TOOL_NAME) {
      const result = await runTestsCall({ call, input, files: current, steps, signal });
      results.push(result.node);
      continue;
    }
    const decision = decisions.get(call.id);
    if (!decision && gate.ask && proposedWrite(call, current))
      return { files: current, steps: results, pausedAt: call.id };
    const execution: ToolExecution & { review?: ReviewRecord } = decision
      ? executeReviewed(call, current, decision)
      : executeTool(current, data.toolName ?? "", input);
    current = execution.files;
    // a call from before the run paused is not the run's own step yet
    const callStep = steps.get(call.id) ?? (execution.change ? steps.adopt(call) : undefined);
    if (execution.change && callStep) callStep.annotate({ providerData: { ...data, file: execution.change } });
    const result = steps.open({
      kind: "tool_result",
      turn: call.turn,
      status: "done",
      content: execution.output,
      providerData: {
        toolCallId: data.toolCallId,
        toolName: data.toolName,
        isError: execution.isError,
        ...(execution.review ? { review: execution.review } : {}),
      },
    });
    results.push(result.node);
  }
  return { files: current, steps: results };
}

/**
 * A run_tests call: its result step opens at once (streaming, so viewers see the tests
 * running), the branch's files at this point run in the sandbox off the main thread, and
 * the step ends with the report the model reads and the report itself for the timeline.
 * Starting the run and taking its result each wait their turn behind streaming deltas
 * (stream-priority.ts). A stop while the tests run stops the run at once; the step is left
 * open and ends interrupted.
 */
async function runTestsCall({
  call,
  input,
  files,
  steps,
  signal,
}: {
  call: StepNode;
  input: string;
  files: VirtualFiles;
  steps: RunSteps;
  signal: AbortSignal;
}): Promise<LiveStep> {
  const data = call.providerData ?? {};
  const replay = { toolCallId: data.toolCallId, toolName: RUN_TESTS_TOOL_NAME };
  const parsed = parseRunTestsInput(input);
  if (!parsed.ok) {
    return steps.open({
      kind: "tool_result",
      turn: call.turn,
      status: "done",
      content: parsed.error,
      providerData: { ...replay, isError: true },
    });
  }
  const step = steps.open({ kind: "tool_result", turn: call.turn, providerData: { ...replay, isError: false } });
  await yieldToStreams();
  const report = await untilAborted(runTests({ files: Object.fromEntries(files), ...parsed.value }), signal);
  await yieldToStreams();
  step.finish({
    status: "done",
    content: formatTestReport(report),
    providerData: { ...replay, isError: isFailedTestRun(report), testReport: compactReport(report) },
  });
  return step;
}

async function streamTurn({
  model,
  route,
  providerOptions,
  path,
  start,
  steps,
  signal,
}: {
  model: LanguageModelV4;
  route: ModelRoute;
  providerOptions: SharedV4ProviderOptions | undefined;
  path: StepNode[];
  /** the session's starting files, named in the task message */
  start: VirtualFiles;
  steps: RunSteps;
  signal: AbortSignal;
}): Promise<TurnRecorder> {
  const recorder = new TurnRecorder(steps, nextTurnNumber(path), route);
  const call: LanguageModelV4CallOptions = {
    prompt: buildModelHistory(path, { system: AGENT_SYSTEM_PROMPT, startingFiles: start }),
    tools: TOOLS,
    toolChoice: { type: "auto" },
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    temperature: 1,
    topP: 0.95,
    abortSignal: signal,
    ...(providerOptions ? { providerOptions } : {}),
  };
  // our own model hands each part over as it is parsed; the AI SDK's providers through their stream
  const direct = streamPartsOf(model);
  if (direct) {
    await direct(call, (part) => recorder.accept(part));
  } else {
    const reader = (await model.doStream(call)).stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      recorder.accept(value);
    }
  }
  if (signal.aborted) throw signal.reason;
  if (recorder.finishReason === null) {
    throw new ModelCallError({ code: "dropped", message: "The model's stream ended before the turn was complete." });
  }
  // a clean finish with no content block at all is not an answer: say so, and let Retry ask again
  if (recorder.steps.length === 0) throw emptyReplyError();
  return recorder;
}

/** Shares the turn's usage and cost out over its steps (each step's own size) and adds them to the run's totals. */
function chargeTurn(steps: LiveStep[], turn: TurnRecorder, price: ModelPrice | null, totals: RunTotals) {
  const thinkingChars = steps.reduce(
    (sum, step) => sum + (step.node.kind === "thinking" ? step.node.content.length : 0),
    0,
  );
  const usage = turnUsageFrom(turn.usage, thinkingChars);
  const shares = apportionTurnUsage(
    steps.map((step) => ({ kind: step.node.kind, size: step.node.content.length })),
    usage,
  );
  steps.forEach((step, i) => {
    const share = shares[i];
    if (!share) return;
    const cost =
      priceCost(price, {
        inputTokens: share.inputTokens,
        outputTokens: share.outputTokens,
        callInputTokens: usage.inputTokens,
      }) ?? 0;
    const estimated = usage.reasoningEstimated && step.node.kind === "thinking";
    step.annotate({ ...share, costUsd: cost, ...(estimated ? { reasoningEstimated: true } : {}) });
    totals.costUsd += cost;
  });
  totals.inputTokens += usage.inputTokens;
  totals.outputTokens += usage.outputTokens;
  totals.reasoningTokens += usage.reasoningTokens;
  totals.reasoningEstimated ||= usage.reasoningEstimated;
}
