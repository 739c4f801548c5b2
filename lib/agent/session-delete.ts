import "server-only";
import { listActiveRuns } from "@/lib/db/runs";
import { deleteSession } from "@/lib/db/sessions";
import { isAppError } from "@/lib/http/errors";
import { getSessionBus } from "@/lib/realtime/bus";
import type { RunView } from "@/lib/wire/sessions";
import { cancelRun, stopSessionRuns, waitForRun } from "./run";

/**
 * How long deleting a session waits, in milliseconds, for its runs on other instances to
 * stop before it deletes anyway. Through Redis they hear Stop at once and settle within a
 * step write (≈ 250 ms); a run whose instance can't be told in time stops at that
 * instance's next heartbeat, when its row is gone (run-lease.ts).
 */
export const DELETE_WAIT_MS = 5_000;

/**
 * Deletes a session of the workspace with everything it holds, while people may be watching
 * it and runs may be going, on this instance or others:
 *  1. every active run is stopped as Stop stops it (lib/agent/run.ts `cancelRun`): this
 *     instance's are aborted and settle; a queued one is cancelled, so no worker claims it;
 *     a paused one is cancelled; one whose server died is finished; one another instance
 *     executes is asked to stop over the bus and awaited for up to DELETE_WAIT_MS;
 *  2. the rows go (runs, steps, approvals, comments, reviews and viewers' presence rows cascade);
 *  3. a `session.deleted` event on the session's channel ends every open stream of it, on
 *     every instance (through Redis), with a message saying so (lib/realtime/sse.ts).
 * 404 `not_found:session` when the session is not in the workspace (or was deleted meanwhile).
 */
export async function deleteSessionStoppingRuns({
  sessionId,
  workspaceId,
}: {
  sessionId: string;
  workspaceId: string;
}): Promise<void> {
  const runs = await listActiveRuns({ sessionId, workspaceId });
  const stopped = await Promise.all(runs.map((run) => stopRun(run.id, workspaceId)));
  const elsewhere = stopped.filter((run): run is RunView => run?.status === "running");
  if (elsewhere.length > 0) await waitAtMost(Promise.all(elsewhere.map((run) => waitForRun(run.id))), DELETE_WAIT_MS);
  // a run started here while the list was read (it can't start once the row is gone)
  await stopSessionRuns(sessionId);
  await deleteSession({ id: sessionId, workspaceId });
  getSessionBus().publish(sessionId, { type: "session.deleted" });
}

/** Stop as the Stop button does; null when the run is gone meanwhile. */
async function stopRun(runId: string, workspaceId: string): Promise<RunView | null> {
  try {
    return await cancelRun({ runId, workspaceId });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found:run") return null;
    throw error;
  }
}

async function waitAtMost(done: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
