import { isAppError } from "@/lib/http/errors";
import { ModelCallError } from "@/lib/model/minimax";
import type { RunStatus, StepKind } from "@/lib/steps/types";

/**
 * Why a run ends, in one vocabulary. A `RunStop` is a reason other than the model
 * finishing its answer: the turn loop returns the limits it meets, and everything that
 * stops a run from outside aborts the run's controller with one as the reason (Stop here
 * or through another instance, the session's deletion, the server stopping, a step that
 * could not be saved). Plain data, so the reason given by another copy of this module
 * (the instrumentation hook's, on shutdown) reads the same. `runOutcome` turns a stop or
 * a failure into what is recorded on the run (docs/api.md lists the codes).
 */
export type RunStop =
  /** the session's limit of turns (settings.maxTurns) was reached */
  | { kind: "turn_limit"; maxTurns: number }
  /** the model's output hit its token limit in the middle of a turn; `cutIn` is the kind of step it cut */
  | { kind: "output_limit"; maxOutputTokens: number; cutIn: StepKind | undefined }
  /** a person stopped it (or deleted its session), here, through another instance or marked on its row */
  | { kind: "stopped" }
  /** this server is stopping; Retry resumes the run */
  | { kind: "shutdown" }
  /** this server is stopping and hands the run to another (its session resumes interrupted runs) */
  | { kind: "handed_back" }
  /** a step's state could not be written after the queue's tries */
  | { kind: "unsaved_steps" };

/** A person's stop (the commonest abort reason). */
export const STOPPED: RunStop = { kind: "stopped" };

const STOP_KINDS: ReadonlySet<string> = new Set<RunStop["kind"]>([
  "turn_limit",
  "output_limit",
  "stopped",
  "shutdown",
  "handed_back",
  "unsaved_steps",
]);

/** Whether an abort reason is a RunStop (from any copy of this module). */
export function isRunStop(value: unknown): value is RunStop {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof kind === "string" && STOP_KINDS.has(kind);
}

/** How a run ended, as its row records it. */
export interface RunOutcome {
  status: Extract<RunStatus, "done" | "failed" | "cancelled">;
  errorCode: string | null;
  errorMessage: string | null;
}

/** The model finished its answer. */
export const FINISHED: RunOutcome = { status: "done", errorCode: null, errorMessage: null };

/** What a run that stopped for `stop` records. */
export function stopOutcome(stop: RunStop): RunOutcome {
  switch (stop.kind) {
    case "turn_limit":
      return {
        status: "done",
        errorCode: "limit:max_turns",
        errorMessage: `Stopped after ${stop.maxTurns} turns, the session's limit. Continue to give it ${stop.maxTurns} more turns.`,
      };
    case "output_limit":
      return { status: "done", errorCode: "limit:max_tokens", errorMessage: outputLimitMessage(stop) };
    case "stopped":
      return {
        status: "cancelled",
        errorCode: "cancelled:run",
        errorMessage: "Stopped. Every step streamed so far is kept.",
      };
    // The server stopping is not a person's stop: the run failed, and Retry picks it up. (A
    // run handed back is not recorded as ended; this is its end only if the hand-back fails.)
    case "shutdown":
    case "handed_back":
      return {
        status: "failed",
        errorCode: "unavailable:shutdown",
        errorMessage: "The server restarted while this run was going.",
      };
    case "unsaved_steps":
      return {
        status: "failed",
        errorCode: "internal:database",
        errorMessage:
          "Some steps could not be saved, so the run was stopped. Every step shown is saved; Retry continues from the last one.",
      };
  }
}

function outputLimitMessage({ maxOutputTokens, cutIn }: Extract<RunStop, { kind: "output_limit" }>): string {
  const where = cutIn === "tool_call" ? "a tool call" : cutIn === "thinking" ? "its reasoning" : "its answer";
  const limit = maxOutputTokens.toLocaleString("en-US");
  const kept =
    cutIn === "tool_call"
      ? "Everything that arrived is kept; the cut tool call was not run."
      : "Everything that arrived is kept.";
  return `The model reached its limit of ${limit} output tokens in the middle of ${where}. ${kept} Continue to let it pick up where it stopped.`;
}

/**
 * What a run that threw `error` records: the model's own error (upstream:<code>), an
 * AppError's code, or internal:run for anything unexpected (logged).
 */
export function failureOutcome(error: unknown): RunOutcome {
  if (error instanceof ModelCallError) {
    return { status: "failed", errorCode: `upstream:${error.code}`, errorMessage: error.message };
  }
  if (isAppError(error)) return { status: "failed", errorCode: error.code, errorMessage: error.message };
  console.error("[run] unexpected failure", error);
  return {
    status: "failed",
    errorCode: "internal:run",
    errorMessage: `The run failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
  };
}

/**
 * How a run's loop ended: it returned (`stop`: null when the model finished its answer)
 * or threw `error`. A loop that threw after its signal was aborted broke off because of
 * the abort, so the abort's reason is the outcome, whatever it threw.
 */
export function runOutcome(ended: { stop: RunStop | null } | { error: unknown }, signal: AbortSignal): RunOutcome {
  if (!("error" in ended)) return ended.stop ? stopOutcome(ended.stop) : FINISHED;
  if (signal.aborted) return stopOutcome(isRunStop(signal.reason) ? signal.reason : STOPPED);
  return failureOutcome(ended.error);
}
