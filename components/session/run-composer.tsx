"use client";

import { useSyncExternalStore } from "react";
import { formatReasoning, formatTokens, formatUsd } from "@/lib/model/catalog";
import { describeRunEnd, keptNote, type RunEnd } from "@/lib/steps/run-end";
import type { RunView } from "@/lib/wire/sessions";
import { elapsed, formatDuration } from "../timeline/format";
import { LiveDuration } from "../timeline/step-meta";
import { Button } from "../ui/button";

export interface RunNotice {
  message: string;
  /** the failure was "a run is already active": offer to stop it */
  offerStop: boolean;
}

const subscribeNever = () => () => {};
/** "⌘" on Apple keyboards, "Ctrl" elsewhere (and on the server, where we can't know). */
function useModifierKey(): string {
  return useSyncExternalStore(
    subscribeNever,
    () => (/Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl"),
    () => "Ctrl",
  );
}

const FAILED: ReadonlySet<RunEnd["reason"]> = new Set(["failed", "empty", "interrupted"]);

/**
 * Starts and stops runs and says how the latest one went: status, turns, tokens, cost,
 * time, and why it stopped (lib/steps/run-end.ts). A failed run keeps every step it
 * streamed; its error and a Retry sit right here. A run that stopped short of an answer
 * (turn limit, output cut at the token limit, stopped by a person) offers Continue: a run
 * from the end of the branch, which picks the turn up where it stopped.
 */
export function RunComposer({
  run,
  active,
  turns,
  notice,
  canRun,
  canRetry,
  onRun,
  onStop,
  onRetry,
  onContinue,
  mayStart,
}: {
  /** the run to report on: the active one, else the latest */
  run: RunView | null;
  active: boolean;
  turns: number;
  notice: RunNotice | null;
  canRun: boolean;
  canRetry: boolean;
  onRun: () => void;
  onStop: () => void;
  onRetry: () => void;
  onContinue: () => void;
  /** the person may start and stop runs (`runs:start`); without it, the run's report without Run, Stop, Retry or Continue */
  mayStart: boolean;
}) {
  const modifier = useModifierKey();
  const end = run ? describeRunEnd(run) : null;
  return (
    <div className="space-y-2 border-t border-zinc-200 bg-white/80 px-3 py-2 dark:border-zinc-800 dark:bg-zinc-950/80">
      {run && end?.action === "continue" && mayStart ? (
        <div
          role="status"
          aria-label="Why the run stopped"
          className="flex flex-wrap items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <p className="min-w-0 flex-1">
            <span className="font-medium">{end.headline}</span>{" "}
            {end.reason === "stopped" ? "Every step streamed so far is kept." : run.errorMessage}
          </p>
          <Button
            variant="primary"
            className="px-2.5 py-1 text-xs"
            onClick={onContinue}
            disabled={active || !canRun}
            title="Run again from the end of this branch; the model picks up where it stopped"
          >
            Continue
          </Button>
        </div>
      ) : null}
      {run && end && FAILED.has(end.reason) ? (
        <div
          role="alert"
          className="flex flex-wrap items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
        >
          <p className="min-w-0 flex-1">
            <span className="font-medium">The run failed.</span>{" "}
            {run.errorMessage ?? "The model stopped with an error."}{" "}
            <span className="text-red-700/80 dark:text-red-300/80">{keptNote(run)}</span>
          </p>
          {canRetry && mayStart ? (
            <Button variant="danger" className="px-2.5 py-1 text-xs" onClick={onRetry} disabled={active}>
              Retry
            </Button>
          ) : null}
        </div>
      ) : null}
      {notice ? (
        <div
          role="alert"
          className="flex flex-wrap items-center gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-1.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          <span className="min-w-0 flex-1">{notice.message}</span>
          {notice.offerStop && active ? (
            <Button className="px-2 py-0.5 text-xs" onClick={onStop}>
              Stop the run
            </Button>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {!mayStart ? null : active ? (
          <Button variant="secondary" onClick={onStop} title="Stop the run (Esc)" aria-keyshortcuts="Escape">
            <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm bg-current" />
            Stop
          </Button>
        ) : (
          <Button
            variant="primary"
            onClick={onRun}
            disabled={!canRun}
            aria-keyshortcuts="Control+Enter Meta+Enter"
            title={`Run from the last step of this branch (${modifier}+Enter)`}
          >
            Run
            <kbd aria-hidden className="font-sans text-[11px] text-violet-100">
              {modifier}↵
            </kbd>
          </Button>
        )}
        {run && end ? (
          <RunStatusLine run={run} end={end} turns={turns} />
        ) : (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">Nothing has run on this branch yet.</span>
        )}
      </div>
    </div>
  );
}

function RunStatusLine({ run, end, turns }: { run: RunView; end: RunEnd; turns: number }) {
  const live = end.reason === "active";
  const duration = elapsed(run.startedAt ?? run.createdAt, run.finishedAt);
  const tone = FAILED.has(end.reason)
    ? "text-red-700 dark:text-red-300"
    : live
      ? "text-violet-700 dark:text-violet-300"
      : end.action === "continue"
        ? "text-amber-800 dark:text-amber-300"
        : "text-zinc-700 dark:text-zinc-300";
  return (
    <p
      className="flex min-w-0 flex-wrap items-center gap-x-2.5 gap-y-0.5 text-xs text-zinc-500 dark:text-zinc-400"
      aria-live="polite"
      role="status"
      aria-label="Run status"
    >
      <span className={`inline-flex items-center gap-1.5 font-medium ${tone}`}>
        {live ? <span aria-hidden className="h-1.5 w-1.5 animate-pulse rounded-full bg-violet-500" /> : null}
        {end.label}
      </span>
      {run.startedByName ? (
        <span title="Started by" data-testid="run-starter">
          started by {run.startedByName}
        </span>
      ) : null}
      {run.resumesRunId ? (
        <span title="The server running the run before it stopped; this run continues from that run's last complete step">
          resumed after its server stopped
        </span>
      ) : null}
      <span className="font-mono tabular-nums">
        {turns} {turns === 1 ? "turn" : "turns"}
      </span>
      <span
        className="font-mono tabular-nums"
        title={
          run.reasoningEstimated
            ? "Input / output / reasoning tokens (reasoning estimated from the thinking text: this route reports only output tokens)"
            : "Input / output / reasoning tokens"
        }
      >
        {formatTokens(run.inputTokens)} in · {formatTokens(run.outputTokens)} out ·{" "}
        {formatReasoning(run.reasoningTokens, run.reasoningEstimated)}
      </span>
      <span className="font-mono tabular-nums" title="Cost">
        {formatUsd(run.costUsd)}
      </span>
      <span className="font-mono tabular-nums" title="Duration">
        {live ? (
          <LiveDuration since={run.startedAt ?? run.createdAt} />
        ) : duration !== null ? (
          formatDuration(duration)
        ) : null}
      </span>
    </p>
  );
}
