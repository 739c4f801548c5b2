import "server-only";
import { randomUUID } from "node:crypto";
import type { LanguageModelV4, LanguageModelV4FunctionTool, SharedV4ProviderOptions } from "@ai-sdk/provider";
import { type RunView, toSessionSummary } from "@/lib/db/mappers";
import {
  findRunInWorkspace,
  finishOrphanedRuns,
  getRun,
  insertRun,
  type RunTotals,
  readRunStart,
  recordActiveLeaf,
  recordRunEnd,
  recordRunProgress,
  requestRunStop,
  STOPPED_ORPHAN,
  settleUnsavedSteps,
  startingRun,
  stepRowQueue,
} from "@/lib/db/runs";
import { loadStartingFiles } from "@/lib/db/starting-files";
import { listSessionSteps } from "@/lib/db/steps";
import { AppError } from "@/lib/http/errors";
import { metrics } from "@/lib/metrics";
import { type ModelPrice, priceCost } from "@/lib/model/catalog";
import { emptyReplyError, ModelCallError } from "@/lib/model/minimax";
import { languageModelFor } from "@/lib/model/registry";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "@/lib/realtime/bus";
import { formatTestReport, parseRunTestsInput, RUN_TESTS_TOOL_NAME, runTests } from "@/lib/sandbox";
import { readSettings } from "@/lib/sessions/schema";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import { ACTIVE_RUN_STATUSES, type ModelRoute, type RunStatus, type StepKind, type StepNode } from "@/lib/steps/types";
import { acceptingRuns, activeRuns } from "./active-runs";
import { buildModelHistory, nextTurnNumber, pendingToolCalls } from "./history";
import { finishOrphansOf, instanceId, publishFinished, runLease, startLeaseKeeper } from "./run-lease";
import { type LiveStep, type OpenStep, StepWriter } from "./step-writer";
import { yieldToStreams } from "./stream-priority";
import { AGENT_SYSTEM_PROMPT } from "./system-prompt";
import { compactReport, isFailedTestRun, untilAborted } from "./test-runs";
import { AGENT_TOOL_DEFINITIONS, executeTool, type VirtualFiles } from "./tools";
import { ModelStreamError, type StepSink, TurnRecorder } from "./turn-recorder";
import { apportionTurnUsage, turnUsageFrom } from "./usage";

/**
 * A run: one generation continuing a branch. `startRun` records it and returns at once;
 * the loop runs detached from the HTTP request (history → model → steps → tools → repeat)
 * and anyone can follow it through the session's event stream.
 */

const MAX_OUTPUT_TOKENS = 16_384;

const runState = processState();
runState.startingSessions ??= new Set();
const startingSessions = runState.startingSessions;

const TOOLS: LanguageModelV4FunctionTool[] = AGENT_TOOL_DEFINITIONS.map((tool) => ({
  type: "function",
  name: tool.name,
  description: tool.description,
  inputSchema: tool.inputSchema as LanguageModelV4FunctionTool["inputSchema"],
}));

export async function startRun({
  sessionId,
  workspaceId,
  fromStepId,
}: {
  sessionId: string;
  workspaceId: string;
  fromStepId?: string;
}): Promise<RunView> {
  await yieldToStreams(); // a burst of starts is bulk work too
  if (!acceptingRuns()) throw new AppError("unavailable:shutdown", "The server is restarting. Try again in a moment.");
  if (startingSessions.has(sessionId)) throw runningConflict();
  startingSessions.add(sessionId);
  try {
    startLeaseKeeper();
    listenForStops();
    await finishOrphansOf(sessionId);
    const start = await readRunStart({ sessionId, workspaceId, fromStepId: fromStepId ?? null });
    if (!start) throw new AppError("not_found:session", "This session doesn't exist, or it was deleted.");
    const { session, from } = start;
    if (!from) throw new AppError("not_found:step", "That step is not part of this session.");
    if (from.status === "streaming") {
      throw new AppError(
        "conflict:step",
        "That step is still streaming. Wait for it to finish, or stop the run first.",
      );
    }
    if (start.busy) throw runningConflict();
    const view = startingRun(
      { id: randomUUID(), sessionId, fromStepId: from.id, modelId: session.modelId },
      new Date(),
    );
    await insertRun(view, runLease());
    getSessionBus().publish(sessionId, { type: "run.updated", run: view });
    metrics.runsStarted += 1;
    const controller = new AbortController();
    const done = executeRun({
      run: view,
      sessionId,
      fromStepId: from.id,
      modelId: session.modelId,
      maxTurns: readSettings(session.settings).maxTurns,
      controller,
    });
    activeRuns.set(view.id, { sessionId, controller, done });
    void done.finally(() => {
      activeRuns.delete(view.id);
      metrics.runsFinished += 1;
    });
    return view;
  } finally {
    startingSessions.delete(sessionId);
  }
}

function runningConflict() {
  return new AppError(
    "conflict:run",
    "A run is already going on this session. Stop it first, or wait for it to finish.",
  );
}

/**
 * Stop: the run's own instance aborts it at once; a run whose server died is finished at
 * once here; a run another live instance executes is marked, and stops with that
 * instance's next heartbeat (or turn).
 */
export async function cancelRun({ runId, workspaceId }: { runId: string; workspaceId: string }): Promise<RunView> {
  const found = await findRunInWorkspace({ runId, workspaceId });
  if (!found) throw new AppError("not_found:run", "This run doesn't exist.");
  if (!ACTIVE_RUN_STATUSES.includes(found.run.status)) return found.run;
  await requestRunStop(runId);
  const active = activeRuns.get(runId);
  if (active) {
    active.controller.abort(new AppError("conflict:cancelled", "Stopped by a person."));
    await active.done;
  } else {
    // Nobody executes it any more (its server died, or it is ours and no longer going):
    // finish it now. A live instance's run stops with that instance's next heartbeat.
    const finished = await finishOrphanedRuns(STOPPED_ORPHAN, {
      runId,
      anyLease: found.ownerId === instanceId(),
    });
    publishFinished(finished);
    // Executed by another live instance: with Redis it hears this at once (else at its heartbeat).
    if (finished.runs.length === 0) getSessionBus().requestStop(runId);
  }
  return getRun(runId);
}

/** Stops asked for on another instance (through the bus) reach this instance's runs at once. */
function listenForStops(): void {
  if (runState.listeningForStops) return;
  runState.listeningForStops = true;
  getSessionBus().onStopRequest((runId) =>
    activeRuns.get(runId)?.controller.abort(new AppError("conflict:cancelled", "Stopped by a person.")),
  );
}

/** Wait for a run's loop to finish (the tests use it to await a detached run). */
export async function waitForRun(runId: string): Promise<void> {
  await activeRuns.get(runId)?.done;
}

/** Stop every run of a session that this process is executing, and wait for them (before deleting it). */
export async function stopSessionRuns(sessionId: string): Promise<void> {
  const stopping = [...activeRuns.values()].filter((run) => run.sessionId === sessionId);
  for (const run of stopping) run.controller.abort(new AppError("conflict:cancelled", "The session was deleted."));
  await Promise.all(stopping.map((run) => run.done));
}

class RunLimitReached extends Error {}

/** The model's output hit MAX_OUTPUT_TOKENS inside a turn. */
class OutputLimitReached extends Error {}

function outputLimitMessage(kind: StepKind | undefined): string {
  const where = kind === "tool_call" ? "a tool call" : kind === "thinking" ? "its reasoning" : "its answer";
  const limit = MAX_OUTPUT_TOKENS.toLocaleString("en-US");
  const kept =
    kind === "tool_call"
      ? "Everything that arrived is kept; the cut tool call was not run."
      : "Everything that arrived is kept.";
  return `The model reached its limit of ${limit} output tokens in the middle of ${where}. ${kept} Continue to let it pick up where it stopped.`;
}

async function executeRun({
  run: started,
  sessionId,
  fromStepId,
  modelId,
  maxTurns,
  controller,
}: {
  run: RunView;
  sessionId: string;
  fromStepId: string;
  modelId: string;
  maxTurns: number;
  controller: AbortController;
}): Promise<void> {
  const stepRows = await stepRowQueue();
  const bus = getSessionBus();
  const runId = started.id;
  const signal = controller.signal;
  // a step that can't be saved stops the run at once: nothing more streams that the database won't have
  const writer = new StepWriter({
    sessionId,
    runId,
    stepRows,
    bus,
    onFailure: (error) => {
      console.error(`[run ${runId}] a step write failed`, error);
      controller.abort(unsavedStepsError());
    },
  });
  // The run's row as viewers know it: each change is written, then published from here.
  let run = started;
  const publishRun = (patch: Partial<RunView>) => {
    run = { ...run, ...patch };
    bus.publish(sessionId, { type: "run.updated", run });
  };
  const live = new Map<string, LiveStep>();
  const totals: RunTotals = {
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    reasoningEstimated: false,
    costUsd: 0,
  };
  let tail = fromStepId;
  let outcome: { status: "done" | "failed" | "cancelled"; errorCode?: string; errorMessage?: string } = {
    status: "done",
  };

  // Each new step hangs below the previous one, so the newest step is the branch's end,
  // even when the run fails halfway through a turn.
  const sink: StepSink & { open: (fields: OpenStep) => LiveStep } = {
    open: (fields: OpenStep) => {
      const step = writer.open(fields);
      live.set(step.id, step);
      tail = step.id;
      return step;
    },
  };

  try {
    await yieldToStreams();
    const resolved = await languageModelFor(modelId);
    let path = pathTo(indexSteps(await listSessionSteps({ sessionId })), fromStepId);
    const start = await loadStartingFiles(sessionId);
    let files: VirtualFiles = filesAt(path, start);

    for (let turnsTaken = 0; ; ) {
      await yieldToStreams();
      const toolResults = await runPendingTools(path, files, sink, live, signal);
      files = toolResults.files;
      path = path.concat(toolResults.steps);

      if (signal.aborted) throw signal.reason;
      if (turnsTaken >= maxTurns) {
        throw new RunLimitReached(
          `Stopped after ${maxTurns} turns, the session's limit. Continue to give it ${maxTurns} more turns.`,
        );
      }

      const turn = await streamTurn({
        model: resolved.model,
        route: resolved.route,
        providerOptions: resolved.providerOptions,
        path,
        start,
        sink,
        tail,
        signal,
      });
      turnsTaken += 1;
      await yieldToStreams();
      const turnSteps = turn.steps.map((s) => live.get(s.id)).filter((s): s is LiveStep => Boolean(s));
      chargeTurn(turn, turnSteps, resolved.price, totals);
      const stop = await recordRunProgress(runId, totals);
      publishRun({ ...totals });
      if (stop) throw new CancelRequested();
      path = path.concat(turnSteps.map((step) => step.node));
      // the turn is unfinished: run none of its calls; Continue resumes it from here
      if (turn.cutAtLimit) throw new OutputLimitReached(outputLimitMessage(turn.steps.at(-1)?.kind));
      if (turn.toolCalls.length === 0) break;
    }
  } catch (error) {
    outcome = describeFailure(error, signal);
  } finally {
    await yieldToStreams();
    for (const step of live.values()) {
      if (step.isOpen) step.finish({ status: "interrupted" });
    }
    const unsaved = await writer.drain();
    // one flush ends the drain of every run finishing now: take turns again
    await yieldToStreams();
    try {
      if (unsaved.length > 0) {
        const failure = unsavedStepsError();
        outcome = { status: "failed", errorCode: failure.code, errorMessage: failure.message };
        tail = await settleUnsaved({ sessionId, unsaved, tail, fromStepId });
      }
      const finishedSession = await recordActiveLeaf({ sessionId, leafId: tail, at: new Date() });
      if (finishedSession)
        bus.publish(sessionId, { type: "session.updated", session: toSessionSummary(finishedSession) });
      const end = {
        status: outcome.status,
        errorCode: outcome.errorCode ?? null,
        errorMessage: outcome.errorMessage ?? null,
        finishedAt: new Date(),
        ...totals,
      };
      await recordRunEnd(runId, end);
      publishRun({ ...end, finishedAt: end.finishedAt.toISOString() });
    } catch (error) {
      // The session was deleted under the run (its rows are gone with it); nothing left to record.
      console.error(`[run ${runId}] could not record how the run ended`, error);
    }
  }
}

/** Why a run stops when one of its steps could not be saved. */
function unsavedStepsError(): AppError {
  return new AppError(
    "internal:database",
    "Some steps could not be saved, so the run was stopped. Every step shown is saved; Retry continues from the last one.",
  );
}

/**
 * After steps could not be saved: the database marks the rows that exist as failed, and
 * viewers are told what it holds (those rows as `error`; the steps without a row removed),
 * so memory and database agree. Answers the branch's end as the database has it.
 */
async function settleUnsaved({
  sessionId,
  unsaved,
  tail,
  fromStepId,
}: {
  sessionId: string;
  unsaved: StepNode[];
  tail: string;
  fromStepId: string;
}): Promise<string> {
  const bus = getSessionBus();
  const stored = new Map(
    (
      await settleUnsavedSteps(
        unsaved.map((step) => step.id),
        new Date(),
      )
    ).map((step) => [step.id, step]),
  );
  const missing = new Map<string, StepNode>();
  for (const step of unsaved) {
    const row = stored.get(step.id);
    if (row) bus.publish(sessionId, { type: "step.updated", step: row });
    else missing.set(step.id, step);
  }
  // children after parents: remove the deepest first, so no viewer is left with an orphan
  for (const step of [...missing.values()].reverse()) bus.publish(sessionId, { type: "step.removed", stepId: step.id });
  let end = tail;
  for (let step = missing.get(end); step; step = missing.get(end)) end = step.parentId ?? fromStepId;
  return end;
}

function describeFailure(error: unknown, signal: AbortSignal) {
  if (error instanceof RunLimitReached) {
    return { status: "done" as const, errorCode: "limit:max_turns", errorMessage: error.message };
  }
  if (error instanceof OutputLimitReached) {
    return { status: "done" as const, errorCode: "limit:max_tokens", errorMessage: error.message };
  }
  // The server stopping is not a person's stop: the run failed, and Retry picks it up. (The
  // reason comes from the shutdown hook's own copy of AppError, so it is matched by code.)
  const stopped = signal.aborted ? (signal.reason as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (stopped?.code === "unavailable:shutdown" || stopped?.code === "internal:database") {
    return { status: "failed" as const, errorCode: stopped.code, errorMessage: String(stopped.message) };
  }
  if (signal.aborted || error instanceof CancelRequested) {
    return {
      status: "cancelled" as const,
      errorCode: "cancelled:run",
      errorMessage: "Stopped. Every step streamed so far is kept.",
    };
  }
  const cause = error instanceof ModelStreamError ? error.cause : error;
  if (cause instanceof ModelCallError) {
    return { status: "failed" as const, errorCode: `upstream:${cause.code}`, errorMessage: cause.message };
  }
  if (cause instanceof AppError)
    return { status: "failed" as const, errorCode: cause.code, errorMessage: cause.message };
  console.error("[run] unexpected failure", error);
  return {
    status: "failed" as const,
    errorCode: "internal:run",
    errorMessage: `The run failed unexpectedly: ${cause instanceof Error ? cause.message : String(cause)}`,
  };
}

class CancelRequested extends Error {}

/**
 * Execute the tool calls at the end of the path that have no result yet. File tools run
 * here at once; run_tests runs in the sandbox (see `runTestsCall`).
 */
async function runPendingTools(
  path: StepNode[],
  files: VirtualFiles,
  sink: { open: (fields: OpenStep) => LiveStep },
  live: Map<string, LiveStep>,
  signal: AbortSignal,
) {
  const steps: StepNode[] = [];
  let current = files;
  let parentId = path[path.length - 1]?.id ?? null;
  for (const call of pendingToolCalls(path).filter((step) => step.status === "done")) {
    const data = call.providerData ?? {};
    const input = parseToolInput(data.toolInput ?? call.content);
    if (data.toolName === RUN_TESTS_TOOL_NAME) {
      const result = await runTestsCall({ call, input, files: current, parentId, sink, signal });
      parentId = result.id;
      steps.push(result.node);
      continue;
    }
    const execution = executeTool(current, data.toolName ?? "", input);
    current = execution.files;
    const callStep = live.get(call.id);
    if (execution.change && callStep) callStep.annotate({ providerData: { ...data, file: execution.change } });
    const result = sink.open({
      kind: "tool_result",
      parentId,
      turn: call.turn,
      status: "done",
      content: execution.output,
      providerData: { toolCallId: data.toolCallId, toolName: data.toolName, isError: execution.isError },
    });
    parentId = result.id;
    steps.push(result.node);
  }
  return { files: current, steps };
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
  parentId,
  sink,
  signal,
}: {
  call: StepNode;
  input: unknown;
  files: VirtualFiles;
  parentId: string | null;
  sink: { open: (fields: OpenStep) => LiveStep };
  signal: AbortSignal;
}): Promise<LiveStep> {
  const data = call.providerData ?? {};
  const replay = { toolCallId: data.toolCallId, toolName: RUN_TESTS_TOOL_NAME };
  const parsed = parseRunTestsInput(input);
  if (!parsed.ok) {
    return sink.open({
      kind: "tool_result",
      parentId,
      turn: call.turn,
      status: "done",
      content: parsed.error,
      providerData: { ...replay, isError: true },
    });
  }
  const step = sink.open({
    kind: "tool_result",
    parentId,
    turn: call.turn,
    providerData: { ...replay, isError: false },
  });
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

function parseToolInput(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

async function streamTurn({
  model,
  route,
  providerOptions,
  path,
  start,
  sink,
  tail,
  signal,
}: {
  model: LanguageModelV4;
  route: ModelRoute;
  providerOptions: SharedV4ProviderOptions | undefined;
  path: StepNode[];
  /** the session's starting files, named in the task message */
  start: VirtualFiles;
  sink: StepSink;
  tail: string;
  signal: AbortSignal;
}): Promise<TurnRecorder> {
  const recorder = new TurnRecorder(sink, tail, nextTurnNumber(path), route);
  const { stream } = await model.doStream({
    prompt: buildModelHistory(path, { system: AGENT_SYSTEM_PROMPT, startingFiles: start }),
    tools: TOOLS,
    toolChoice: { type: "auto" },
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    temperature: 1,
    topP: 0.95,
    abortSignal: signal,
    ...(providerOptions ? { providerOptions } : {}),
  });
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    recorder.accept(value);
  }
  if (signal.aborted) throw signal.reason;
  if (recorder.finishReason === null) {
    throw new ModelCallError({ code: "dropped", message: "The model's stream ended before the turn was complete." });
  }
  // a clean finish with no content block at all is not an answer: say so, and let Retry ask again
  if (recorder.steps.length === 0) throw emptyReplyError();
  return recorder;
}

function chargeTurn(turn: TurnRecorder, steps: LiveStep[], price: ModelPrice | null, totals: RunTotals) {
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
