import "server-only";
import { type FinishedOrphans, findResumeOf, readResumeTarget, SERVER_STOPPED } from "@/lib/db/runs";
import { listSessionSteps } from "@/lib/db/steps";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "@/lib/realtime/bus";
import { readSettings } from "@/lib/sessions/schema";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { RunView } from "@/lib/wire/sessions";
import { startRun } from "./run";

const resumeState = processState();
resumeState.resumesStarting ??= new Map();
const resumesStarting = resumeState.resumesStarting;

/**
 * Runs cut off by their server stopping (kill -9, a crash, a lost machine) start again on
 * their own when their session allows it (settings.resumeInterrupted): a new run from the
 * last complete step of the branch, exactly what Retry starts. The instance whose
 * heartbeat finished the orphaned run resumes it; finishing is one statement, so exactly
 * one instance does. Every step the dead run streamed is kept (an interrupted one stays
 * beside the branch, as after Retry). The new run names the one it continues
 * (`resumesRunId`), and viewers get the interrupted run again with `resumedByRunId`, so a
 * client waiting on it (interleave run --wait) follows the work to its end.
 */
export async function resumeInterruptedRuns(finished: FinishedOrphans): Promise<void> {
  for (const run of finished.runs) {
    if (run.errorCode !== SERVER_STOPPED.errorCode) continue;
    try {
      const point = await resumePoint(run.sessionId);
      if (!point || !readSettings(point.settings).resumeInterrupted) continue;
      const { run: resumed, started } = await resumeRun({
        sessionId: run.sessionId,
        workspaceId: point.workspaceId,
        fromStepId: point.fromStepId,
        resumesRunId: run.id,
      });
      if (!started) {
        console.log(`[runs] run ${run.id} was resumed already, as ${resumed.id}`);
        continue;
      }
      // viewers and clients waiting on the interrupted run learn where it goes on
      getSessionBus().publish(run.sessionId, { type: "run.updated", run: { ...run, resumedByRunId: resumed.id } });
      console.log(`[runs] resumed run ${run.id} as ${resumed.id} from step ${point.fromStepId}`);
    } catch (error) {
      // e.g. someone started a run on the session meanwhile: theirs goes on, Retry stays offered
      console.error(`[runs] could not resume run ${run.id}`, error);
    }
  }
}

/**
 * Starts the run that continues `resumesRunId` (a run of the session cut off by its
 * server) from `fromStepId`, once. Answers `{ run, started: true }` with the new run, or
 * `{ run, started: false }` with the run that continues it already — started before, or
 * at the same moment here (the two calls share one start) or on another instance (whose
 * row the unique `resumesRunId` keeps) — never a unique-constraint error. Any other
 * refusal of `startRun` (e.g. `conflict:run`: someone else's run is going on the session)
 * throws as it does there.
 */
export async function resumeRun({
  sessionId,
  workspaceId,
  fromStepId,
  resumesRunId,
}: {
  sessionId: string;
  workspaceId: string;
  fromStepId: string;
  resumesRunId: string;
}): Promise<{ run: RunView; started: boolean }> {
  const joined = resumesStarting.get(resumesRunId);
  const start = joined ?? startRun({ sessionId, workspaceId, fromStepId, resumesRunId });
  if (!joined) resumesStarting.set(resumesRunId, start);
  try {
    return { run: await start, started: !joined };
  } catch (error) {
    // the row another caller wrote first is what refused this one (or made the session busy)
    const resumed = await findResumeOf({ runId: resumesRunId, workspaceId });
    if (resumed) return { run: resumed, started: false };
    throw error;
  } finally {
    if (!joined) resumesStarting.delete(resumesRunId);
  }
}

/**
 * Where a run of the session cut off by its server resumes, as Retry would: the last
 * complete (`done`) step of the branch on screen, with the session's workspace and
 * settings. Null when the session is gone, or its branch has no complete step.
 */
export async function resumePoint(
  sessionId: string,
): Promise<{ workspaceId: string; settings: unknown; fromStepId: string } | null> {
  const target = await readResumeTarget(sessionId);
  if (!target?.activeLeafId) return null;
  const path = pathTo(
    indexSteps(await listSessionSteps({ sessionId, workspaceId: target.workspaceId })),
    target.activeLeafId,
  );
  const from = path.findLast((step) => step.status === "done");
  return from ? { workspaceId: target.workspaceId, settings: target.settings, fromStepId: from.id } : null;
}
