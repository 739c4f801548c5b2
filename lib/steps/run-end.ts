import type { RunStatus } from "./types";

/**
 * Why a run stopped, as the page says it, and what to do next. Derived from the run's
 * `status` and `errorCode` (lib/agent/run.ts writes them; docs/api.md lists the codes), so
 * every viewer and the API agree without a column of their own.
 */
export type RunStopReason =
  /** still queued, running or waiting */
  | "active"
  /** the model finished its answer */
  | "done"
  /** the session's turn limit (maxTurns) ended the run: limit:max_turns */
  | "turn_limit"
  /** the model's output hit the token limit mid-turn: limit:max_tokens */
  | "output_limit"
  /** a person pressed Stop: cancelled:run */
  | "stopped"
  /** the model finished without any content block: upstream:empty */
  | "empty"
  /** the server stopped or restarted under the run */
  | "interrupted"
  /** any other failure: upstream:*, internal:* */
  | "failed";

/** The next step offered: Continue (a run from the branch's end) or Retry (from the last complete step). */
export type RunNextAction = "continue" | "retry" | null;

export interface RunEnd {
  reason: RunStopReason;
  /** short, for the status line: "Done", "Stopped", "Failed"… */
  label: string;
  /** the sentence heading the notice under a run that did not simply finish (null for done/active) */
  headline: string | null;
  action: RunNextAction;
}

const SERVER_STOPPED = new Set(["unavailable:shutdown", "unavailable:server_stopped", "internal:restart"]);

/** Why the run stopped; a pure function of its status and error code. */
export function runStopReason(run: { status: RunStatus; errorCode: string | null }): RunStopReason {
  switch (run.status) {
    case "queued":
    case "running":
    case "awaiting_approval":
      return "active";
    case "done":
      if (run.errorCode === "limit:max_turns") return "turn_limit";
      if (run.errorCode === "limit:max_tokens") return "output_limit";
      return "done";
    case "cancelled":
      return "stopped";
    case "failed":
      if (run.errorCode === "upstream:empty") return "empty";
      if (run.errorCode && SERVER_STOPPED.has(run.errorCode)) return "interrupted";
      return "failed";
  }
}

const ENDS: Record<RunStopReason, Omit<RunEnd, "reason">> = {
  active: { label: "Running", headline: null, action: null },
  done: { label: "Done", headline: null, action: null },
  turn_limit: { label: "Done · turn limit", headline: "The turn limit was reached.", action: "continue" },
  output_limit: {
    label: "Done · output cut",
    headline: "Output cut at the token limit.",
    action: "continue",
  },
  // not "by you": a teammate, a bot's token or a suite run's Stop may have stopped it
  stopped: { label: "Stopped", headline: "Stopped.", action: "continue" },
  empty: { label: "Failed · empty reply", headline: "The run failed.", action: "retry" },
  interrupted: { label: "Failed · server stopped", headline: "The run failed.", action: "retry" },
  failed: { label: "Failed", headline: "The run failed.", action: "retry" },
};

/** How the page reports a run's end: its reason, labels and the action it offers. */
export function describeRunEnd(run: { status: RunStatus; errorCode: string | null }): RunEnd {
  const reason = runStopReason(run);
  const end = ENDS[reason];
  return { reason, ...end, label: reason === "active" ? (ACTIVE_LABELS[run.status] ?? end.label) : end.label };
}

const ACTIVE_LABELS: Partial<Record<RunStatus, string>> = {
  queued: "Queued",
  running: "Running",
  awaiting_approval: "Waiting for approval",
};

/**
 * Failures whose message says itself what of the run is kept: a dead server's (lib/db/runs.ts,
 * "Every step streamed so far is kept; Retry continues from there.") and steps that could not
 * be saved (lib/agent/run-stop.ts: only the steps shown are saved, the others were removed).
 */
const MESSAGE_SAYS_WHAT_IS_KEPT = new Set(["unavailable:server_stopped", "internal:database"]);

/**
 * The sentence after a failed run's message that its steps are kept, or null when the
 * message says it already: the page repeated it ("Every step streamed so far is kept; …
 * Every step streamed before the error is kept."), and for a failed save it contradicted
 * the message (the steps that could not be saved are not kept).
 */
export function keptNote(run: { errorCode: string | null }): string | null {
  if (run.errorCode && MESSAGE_SAYS_WHAT_IS_KEPT.has(run.errorCode)) return null;
  return "Every step streamed before the error is kept.";
}
