import "server-only";
import { cancelRun, startRun, waitForRun } from "@/lib/agent/run";
import { getRun, listActiveRuns, runFirstTokenAt } from "@/lib/db/runs";
import { createSession, getSessionById } from "@/lib/db/sessions";
import { loadStartingFiles } from "@/lib/db/starting-files";
import { listSessionSteps } from "@/lib/db/steps";
import {
  finishSuiteRun,
  getSuiteRun,
  insertSuiteRun,
  isSuiteRunStopping,
  requestSuiteRunCancel,
  saveSuiteResults,
  toSuiteRunView,
} from "@/lib/db/suite-runs";
import { AppError } from "@/lib/http/errors";
import { resolveModelForNewSession } from "@/lib/model/registry";
import { processState } from "@/lib/process-state";
import { runTests } from "@/lib/sandbox";
import { reportPassed } from "@/lib/sandbox/counts";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { SuiteRunView } from "@/lib/wire/suites";
import { queuedResult } from "./report";
import type { Suite, SuiteResult, SuiteTask } from "./types";

/**
 * Running a suite: every task on every model is a session of its own (a normal session, one
 * click away for review), run with the session's usual loop, then graded by laying the
 * task's hidden tests over the session's files and running them in the sandbox. At most
 * `concurrency` sessions run at once; Stop cancels the running ones and skips the rest.
 * Results are saved as each one moves on, so a poll of the suite run shows its progress.
 */

/** Turns a suite's session may take: small tasks, so fewer than an interactive session. */
export const SUITE_MAX_TURNS = 12;

const state = processState();
state.activeSuiteRuns ??= new Map();
const activeSuiteRuns = state.activeSuiteRuns;

/**
 * Starts a suite run and returns at once. Throws AppError bad_request:model for a model
 * this deployment can't run, bad_request:validation for unknown task ids.
 */
export async function startSuiteRun({
  workspaceId,
  suite,
  modelIds,
  concurrency,
  taskIds,
}: {
  workspaceId: string;
  suite: Suite;
  modelIds: string[];
  concurrency: number;
  taskIds?: string[];
}): Promise<SuiteRunView> {
  for (const modelId of modelIds) resolveModelForNewSession(modelId);
  let tasks = suite.tasks;
  if (taskIds && taskIds.length > 0) {
    const unknown = taskIds.filter((id) => !suite.tasks.some((task) => task.id === id));
    if (unknown.length > 0) {
      throw new AppError("bad_request:validation", `Unknown task ids: ${unknown.slice(0, 5).join(", ")}.`);
    }
    tasks = suite.tasks.filter((task) => taskIds.includes(task.id));
  }
  // task by task, each on every model, so the models progress together
  const results = tasks.flatMap((task) => modelIds.map((modelId) => queuedResult(task.id, modelId)));
  const record = await insertSuiteRun({ workspaceId, suiteName: suite.name, modelIds, concurrency, tasks, results });
  const controller = new AbortController();
  const done = executeSuiteRun({ id: record.id, workspaceId, tasks, results, concurrency, signal: controller.signal });
  activeSuiteRuns.set(record.id, { controller, done });
  void done.finally(() => activeSuiteRuns.delete(record.id));
  return toSuiteRunView(record);
}

/**
 * Stops a running suite run (its running sessions are cancelled, the queued ones skipped)
 * and waits for it. A suite run this process doesn't execute — another instance does, and
 * its lanes take no task after the mark, or its server is gone and nobody will — is ended
 * here: its tasks' runs are stopped wherever they run, and it is recorded as cancelled.
 */
export async function cancelSuiteRun({ id, workspaceId }: { id: string; workspaceId: string }): Promise<void> {
  const marked = await requestSuiteRunCancel({ id, workspaceId });
  if (!marked) return;
  const active = activeSuiteRuns.get(id);
  if (active) {
    active.controller.abort();
    await active.done;
    return;
  }
  const { results } = await getSuiteRun({ id, workspaceId });
  for (const { status, sessionId } of results) {
    if (status !== "running" || !sessionId) continue;
    for (const run of await listActiveRuns({ sessionId, workspaceId })) await cancelRun({ runId: run.id, workspaceId });
  }
  await finishSuiteRun({ id, workspaceId, status: "cancelled", results });
}

/** Waits for a suite run this process is executing (tests and the CLI's --wait use it). */
export async function waitForSuiteRun(id: string): Promise<void> {
  await activeSuiteRuns.get(id)?.done;
}

async function executeSuiteRun({
  id,
  workspaceId,
  tasks,
  results,
  concurrency,
  signal,
}: {
  id: string;
  workspaceId: string;
  tasks: SuiteTask[];
  results: SuiteResult[];
  concurrency: number;
  signal: AbortSignal;
}): Promise<void> {
  let saving = Promise.resolve();
  const save = () => {
    const snapshot = results.map((result) => ({ ...result }));
    saving = saving
      .then(() => saveSuiteResults({ id, workspaceId, results: snapshot }))
      .catch((error: unknown) => console.error(`[suite ${id}] could not save progress`, error));
  };
  const byId = new Map(tasks.map((task) => [task.id, task]));
  let next = 0;
  const lane = async () => {
    for (;;) {
      // a Stop that reached another instance marks the row and ends the suite run there
      if (signal.aborted || (await isSuiteRunStopping({ id, workspaceId }))) return;
      const result = results[next++];
      if (!result) return;
      const task = byId.get(result.taskId) as SuiteTask;
      await runOne({ result, task, workspaceId, signal, save });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, results.length) }, lane));
  } finally {
    for (const result of results) if (result.status === "queued") result.status = "cancelled";
    await saving;
    await finishSuiteRun({ id, workspaceId, status: signal.aborted ? "cancelled" : "done", results }).catch(
      (error: unknown) => console.error(`[suite ${id}] could not record its end`, error),
    );
  }
}

async function runOne({
  result,
  task,
  workspaceId,
  signal,
  save,
}: {
  result: SuiteResult;
  task: SuiteTask;
  workspaceId: string;
  signal: AbortSignal;
  save: () => void;
}): Promise<void> {
  try {
    const session = await createSession({
      workspaceId,
      task: task.prompt,
      modelId: result.modelId,
      settings: { maxTurns: SUITE_MAX_TURNS },
      ...(task.files ? { starting: { files: new Map(Object.entries(task.files)), skipped: [] } } : {}),
    });
    Object.assign(result, { sessionId: session.id, status: "running" });
    save();
    if (signal.aborted) {
      result.status = "cancelled";
      return;
    }
    const run = await startRun({ sessionId: session.id, workspaceId });
    const stop = () => void cancelRun({ runId: run.id, workspaceId });
    // A Stop while the run was starting has aborted already, and an aborted signal never
    // calls a listener added after: its run would go on to its end, graded.
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop, { once: true });
    await waitForRun(run.id);
    signal.removeEventListener("abort", stop);

    const ended = await getRun({ runId: run.id, workspaceId });
    const firstToken = await runFirstTokenAt({ runId: run.id, workspaceId });
    const started = Date.parse(ended.startedAt ?? ended.createdAt);
    Object.assign(result, {
      runStatus: ended.status,
      message: ended.errorMessage,
      inputTokens: ended.inputTokens,
      outputTokens: ended.outputTokens,
      reasoningTokens: ended.reasoningTokens,
      costUsd: ended.costUsd,
      firstTokenMs: firstToken ? firstToken.getTime() - started : null,
      totalMs: ended.finishedAt ? Date.parse(ended.finishedAt) - started : null,
    });
    if (signal.aborted) {
      result.status = "cancelled";
      return;
    }
    result.status = "grading";
    save();
    await grade(result, task, { sessionId: session.id, workspaceId });
  } catch (error) {
    result.status = "error";
    result.message = error instanceof Error ? error.message : String(error);
  } finally {
    save();
  }
}

/** The session's files at the end of its branch, the hidden tests laid over them, run in the sandbox. */
async function grade(
  result: SuiteResult,
  task: SuiteTask,
  { sessionId, workspaceId }: { sessionId: string; workspaceId: string },
): Promise<void> {
  const session = await getSessionById({ id: sessionId, workspaceId });
  const [steps, start] = await Promise.all([
    listSessionSteps({ sessionId, workspaceId }),
    loadStartingFiles({ sessionId, workspaceId }),
  ]);
  const files = filesAt(pathTo(indexSteps(steps), session.activeLeafId ?? ""), start);
  const report = await runTests({
    files: { ...Object.fromEntries(files), ...task.tests },
    language: task.language,
    paths: Object.keys(task.tests),
  });
  result.testsPassed = report.counts.passed;
  result.testsTotal = report.counts.total;
  result.status = reportPassed(report) ? "passed" : "failed";
  if (result.status === "failed") {
    const firstFailure = report.tests.find((test) => test.status === "fail" || test.status === "error");
    result.message =
      report.outcomeMessage ??
      (firstFailure ? `${firstFailure.name}: ${firstFailure.message ?? firstFailure.status}` : null);
  }
}
