import "server-only";
import { activeSuiteRuns, type SuiteStop } from "@/lib/agent/active-runs";
import { cancelRun, startRun, waitForRun } from "@/lib/agent/run";
import { finishOrphansOf, runLease, startLeaseKeeper } from "@/lib/agent/run-lease";
import { resumePoint, resumeRun } from "@/lib/agent/run-resume";
import { SUITE_RUNS_AT_ONCE, suiteRunsRefusal } from "@/lib/auth/run-limit";
import { listActiveRuns, listSessionRuns, runFirstTokenAt } from "@/lib/db/runs";
import { createSession, getSessionById } from "@/lib/db/sessions";
import { loadStartingFiles } from "@/lib/db/starting-files";
import { listSessionSteps } from "@/lib/db/steps";
import {
  finishSuiteRun,
  getSuiteRun,
  insertSuiteRun,
  isSuiteRunStopping,
  releaseSuiteRun,
  requestSuiteRunCancel,
  type SuiteRunRecord,
  saveSuiteResults,
  takeOverSuiteRuns,
  toSuiteRunView,
} from "@/lib/db/suite-runs";
import { AppError } from "@/lib/http/errors";
import { resolveModelForNewSession } from "@/lib/model/registry";
import { runTests } from "@/lib/sandbox";
import { reportPassed } from "@/lib/sandbox/counts";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { RunView } from "@/lib/wire/sessions";
import type { SuiteRunView } from "@/lib/wire/suites";
import { queuedResult } from "./report";
import type { Suite, SuiteResult, SuiteTask } from "./types";

/**
 * Running a suite: every task on every model is a session of its own (a normal session, one
 * click away for review), run with the session's usual loop, then graded by laying the
 * task's hidden tests over the session's files and running them in the sandbox. At most
 * `concurrency` sessions run at once; Stop cancels the running ones and skips the rest.
 * Results are saved as each one moves on, so a poll of the suite run shows its progress.
 *
 * A suite run is leased like a run (lib/db/suite-runs.ts): the instance executing it renews
 * its lease with its runs' on every heartbeat. When that instance dies (kill -9) or stops
 * (it hands its suite runs back), the next heartbeat anywhere — or, on the embedded
 * database, the restarted server's first — takes the suite run over and resumes it from
 * its results as last saved: a finished task (passed, failed, error, cancelled) is never
 * run or graded again, a task whose run was going is followed to its run's end (a run cut
 * off by its server is resumed from its branch's last complete step, as the heartbeat
 * resumes a session's interrupted run), a task that was being graded is graded, and the
 * queued ones run. Each task is one result, so pass@1 counts it once however often its
 * suite run changed hands; a runner that lost its suite run records nothing more.
 */

/** Turns a suite's session may take: small tasks, so fewer than an interactive session. */
export const SUITE_MAX_TURNS = 12;

/**
 * How often a task's run cut off by its server stopping is resumed before the task is
 * graded as its session stands (a run that dies every time does not hold the suite run forever).
 */
export const MAX_TASK_RESUMES = 2;

/** How a run cut off by its server ends (lib/db/runs.ts SERVER_STOPPED; lib/agent/run-stop.ts a graceful stop). */
const INTERRUPTED_CODES: ReadonlySet<string> = new Set(["unavailable:server_stopped", "unavailable:shutdown"]);

const STOPPED: SuiteStop = { kind: "stopped" };

/**
 * Starts a suite run for `createdById` (null: no person) and returns at once. Throws
 * AppError bad_request:model for a model this deployment can't run,
 * bad_request:validation for unknown task ids, rate_limit:suite_runs when that person
 * already has SUITE_RUNS_AT_ONCE suite runs running (lib/auth/run-limit.ts).
 */
export async function startSuiteRun({
  workspaceId,
  createdById,
  suite,
  modelIds,
  concurrency,
  taskIds,
}: {
  workspaceId: string;
  createdById: string | null;
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
  const record = await insertSuiteRun({
    workspaceId,
    createdById,
    maxRunning: SUITE_RUNS_AT_ONCE,
    suiteName: suite.name,
    modelIds,
    concurrency,
    tasks,
    results,
    lease: runLease(),
  });
  if (!record) throw suiteRunsRefusal();
  launch(record);
  return toSuiteRunView(record);
}

/** Executes a suite run this process holds, detached; it is one of the active suite runs until it ends. */
function launch(record: SuiteRunRecord): void {
  startLeaseKeeper();
  const controller = new AbortController();
  const done = executeSuiteRun(record, controller.signal);
  activeSuiteRuns.set(record.id, { controller, done });
  void done.finally(() => {
    if (activeSuiteRuns.get(record.id)?.done === done) activeSuiteRuns.delete(record.id);
  });
}

/**
 * The heartbeat's look for suite runs whose server stopped (lib/agent/run-lease.ts, after
 * it has finished the runs whose server died): each one whose lease expired is taken over
 * here and resumed — or, when someone asked it to stop meanwhile, ended as cancelled.
 * `scope` as takeOverSuiteRuns's (lib/db/suite-runs.ts).
 */
export async function resumeSuiteRuns(scope: { id?: string; anyLease?: boolean } = {}): Promise<void> {
  for (const record of await takeOverSuiteRuns(runLease(), scope)) {
    if (record.cancelRequested) {
      await endUnexecuted(record);
      continue;
    }
    const left = record.results.filter((result) => !FINISHED.has(result.status)).length;
    console.log(`[suites] took over suite run ${record.id} from a server that stopped: ${left} task(s) to finish`);
    launch(record);
  }
}

/**
 * Stops a running suite run (its running sessions are cancelled, the queued ones skipped)
 * and waits for it. A suite run this process doesn't execute — another instance does, and
 * its lanes take no task after the mark — is ended here: its tasks' runs are stopped
 * wherever they run, and it is recorded as cancelled (its owner's next heartbeat finds it
 * is not its own any more, and records nothing of it).
 */
export async function cancelSuiteRun({ id, workspaceId }: { id: string; workspaceId: string }): Promise<void> {
  const marked = await requestSuiteRunCancel({ id, workspaceId });
  if (!marked) return;
  const active = activeSuiteRuns.get(id);
  if (active) {
    active.controller.abort(STOPPED);
    await active.done;
    return;
  }
  await endUnexecuted(await getSuiteRun({ id, workspaceId }));
}

/** Ends, as cancelled, a suite run no runner here executes: its tasks' runs going are stopped wherever they run. */
async function endUnexecuted({ id, workspaceId, results }: SuiteRunRecord): Promise<void> {
  for (const { status, sessionId } of results) {
    if (status !== "running" || !sessionId) continue;
    for (const run of await listActiveRuns({ sessionId, workspaceId })) await cancelRun({ runId: run.id, workspaceId });
  }
  await finishSuiteRun({ id, workspaceId, status: "cancelled", results, ownerId: null });
}

/** Waits for a suite run this process is executing (tests and the CLI's --wait use it). */
export async function waitForSuiteRun(id: string): Promise<void> {
  await activeSuiteRuns.get(id)?.done;
}

const FINISHED: ReadonlySet<SuiteResult["status"]> = new Set(["passed", "failed", "error", "cancelled"]);

/** Why the suite run's signal was aborted (null: it was not). */
function stopOf(signal: AbortSignal): SuiteStop["kind"] | null {
  return signal.aborted ? ((signal.reason as SuiteStop | undefined)?.kind ?? "stopped") : null;
}

/**
 * Executes a suite run from its results as saved (all queued for a new one): the tasks
 * under way when it was taken over first, then the queued ones, `concurrency` at once.
 * Handed back (the server stopping) it releases its lease and records nothing more; lost
 * (another instance holds it now) it records nothing; otherwise it records its end.
 */
async function executeSuiteRun(record: SuiteRunRecord, signal: AbortSignal): Promise<void> {
  const { id, workspaceId, concurrency } = record;
  const { ownerId } = runLease();
  const results = record.results.map((result) => ({ ...result }));
  let saving = Promise.resolve();
  const save = () => {
    const stop = stopOf(signal);
    if (stop === "handed_back" || stop === "lost") return; // its next holder goes on from what was saved
    const snapshot = results.map((result) => ({ ...result }));
    saving = saving
      .then(async () => {
        await saveSuiteResults({ id, workspaceId, results: snapshot, ownerId });
      })
      .catch((error: unknown) => console.error(`[suite ${id}] could not save progress`, error));
  };
  const byId = new Map(record.fullTasks.map((task) => [task.id, task]));
  const todo = [
    ...results.filter((result) => result.status === "running" || result.status === "grading"),
    ...results.filter((result) => result.status === "queued"),
  ];
  let next = 0;
  const lane = async () => {
    for (;;) {
      // a Stop that reached another instance marks the row and ends the suite run there
      if (signal.aborted || (await isSuiteRunStopping({ id, workspaceId }))) return;
      const result = todo[next++];
      if (!result) return;
      await driveTask({ result, task: byId.get(result.taskId), workspaceId, signal, save });
    }
  };
  let failure: string | null = null;
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, lane));
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    console.error(`[suite ${id}] failed`, error);
  }
  const stop = stopOf(signal);
  await saving;
  if (stop === "lost") return;
  if (stop === "handed_back") {
    await releaseSuiteRun(id, ownerId).catch((error: unknown) =>
      console.error(`[suite ${id}] could not hand it back; its lease will lapse`, error),
    );
    return;
  }
  for (const result of results) if (result.status === "queued") result.status = "cancelled";
  await finishSuiteRun({
    id,
    workspaceId,
    status: failure ? "failed" : stop ? "cancelled" : "done",
    results,
    ownerId,
    errorMessage: failure && `The suite run failed: ${failure}`,
  }).catch((error: unknown) => console.error(`[suite ${id}] could not record its end`, error));
}

/**
 * One task on one model, from wherever it stands: a session made for it (unless it has
 * one), its run followed to its end (started, waited for, resumed when its server cut it
 * off), then graded. Any failure makes the result `error`, with why.
 */
async function driveTask({
  result,
  task,
  workspaceId,
  signal,
  save,
}: {
  result: SuiteResult;
  task: SuiteTask | undefined;
  workspaceId: string;
  signal: AbortSignal;
  save: () => void;
}): Promise<void> {
  try {
    if (!task) throw new Error(`the suite run has no task ${result.taskId}`);
    if (!result.sessionId) {
      const session = await createSession({
        workspaceId,
        task: task.prompt,
        modelId: result.modelId,
        settings: { maxTurns: SUITE_MAX_TURNS },
        ...(task.files ? { starting: { files: new Map(Object.entries(task.files)), skipped: [] } } : {}),
      });
      Object.assign(result, { sessionId: session.id, status: "running" });
      save();
    }
    const sessionId = result.sessionId as string;
    const runs = await runTask({ sessionId, workspaceId, signal });
    if (runs.length > 0) Object.assign(result, await measure(runs, workspaceId));
    if (signal.aborted) {
      result.status = "cancelled";
      return;
    }
    result.status = "grading";
    save();
    await grade(result, task, { sessionId, workspaceId });
  } catch (error) {
    result.status = "error";
    result.message = error instanceof Error ? error.message : String(error);
  } finally {
    save();
  }
}

/**
 * The task's session's runs (oldest first) once its run has ended: a run is started when
 * it has none, one going (here or on any instance) is waited for — one whose server died
 * is finished first, as any request touching the session does — and one cut off by its
 * server is resumed from the branch's last complete step, up to MAX_TASK_RESUMES times.
 * Returns early, with the runs as they are, once the suite run's signal is aborted.
 */
async function runTask({
  sessionId,
  workspaceId,
  signal,
}: {
  sessionId: string;
  workspaceId: string;
  signal: AbortSignal;
}): Promise<RunView[]> {
  for (;;) {
    await finishOrphansOf(sessionId);
    const runs = await listSessionRuns({ sessionId, workspaceId });
    if (signal.aborted) return runs;
    const last = runs.at(-1);
    if (last && (last.status === "queued" || last.status === "running")) {
      await follow(last.id, workspaceId, signal);
      continue;
    }
    if (!last) {
      await follow((await startRun({ sessionId, workspaceId })).id, workspaceId, signal);
      continue;
    }
    const cutOff = runs.filter((run) => run.errorCode !== null && INTERRUPTED_CODES.has(run.errorCode)).length;
    if (last.errorCode === null || !INTERRUPTED_CODES.has(last.errorCode) || cutOff > MAX_TASK_RESUMES) return runs;
    const point = await resumePoint(sessionId);
    if (!point) return runs;
    // another instance's heartbeat may have resumed it already: then that run is followed
    const { run: resumed } = await resumeRun({
      sessionId,
      workspaceId,
      fromStepId: point.fromStepId,
      resumesRunId: last.id,
    });
    console.log(`[suites] resumed the run of session ${sessionId} as ${resumed.id} from step ${point.fromStepId}`);
    await follow(resumed.id, workspaceId, signal);
  }
}

/**
 * Waits for a task's run to end. A person's Stop of the suite run cancels it (and the wait
 * goes on until it has ended); a hand-back or a lost lease stops waiting at once, leaving
 * the run to whoever holds the suite run next.
 */
async function follow(runId: string, workspaceId: string, signal: AbortSignal): Promise<void> {
  let onAbort = () => {};
  const letGo = new Promise<void>((resolve) => {
    onAbort = () => {
      if (stopOf(signal) !== "stopped") return resolve();
      void cancelRun({ runId, workspaceId }).catch((error: unknown) =>
        console.error(`[suites] could not stop run ${runId}`, error),
      );
    };
  });
  // an aborted signal never calls a listener added after: a Stop while the run was starting would be missed
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.race([waitForRun(runId), letGo]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * What a task's runs used and took: tokens and cost summed over its runs (a run resumed
 * after its server stopped adds to the attempt it resumed), the time to the first token of
 * the first run that streamed one (from that run's start), the time each run ran, added up,
 * and how the last one ended.
 */
async function measure(runs: RunView[], workspaceId: string): Promise<Partial<SuiteResult>> {
  const last = runs.at(-1) as RunView;
  const started = (run: RunView) => Date.parse(run.startedAt ?? run.createdAt);
  let firstTokenMs: number | null = null;
  for (const run of runs) {
    const first = await runFirstTokenAt({ runId: run.id, workspaceId });
    if (first) {
      firstTokenMs = first.getTime() - started(run);
      break;
    }
  }
  const sum = (pick: (run: RunView) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    runStatus: last.status,
    message: last.errorMessage,
    inputTokens: sum((run) => run.inputTokens),
    outputTokens: sum((run) => run.outputTokens),
    reasoningTokens: sum((run) => run.reasoningTokens),
    costUsd: sum((run) => run.costUsd),
    firstTokenMs,
    totalMs: runs.every((run) => run.finishedAt)
      ? sum((run) => Date.parse(run.finishedAt as string) - started(run))
      : null,
  };
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
