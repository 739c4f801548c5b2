"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { ModelSummary, SuiteReport } from "@/lib/suites/report";
import type { SuiteResult } from "@/lib/suites/types";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import type { SuiteRunView } from "@/lib/wire/suites";
import { formatDuration } from "../timeline/format";
import { Badge, type BadgeTone } from "../ui/badge";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";

const POLL_MS = 1000;

const percent = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(1)} %`);
const tokens = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n));
const usd = (n: number) => (n === 0 ? "$0" : n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);
const ms = (n: number | null) => (n === null ? "–" : formatDuration(n));

const RESULT_TONE: Record<SuiteResult["status"], BadgeTone> = {
  queued: "neutral",
  running: "progress",
  grading: "info",
  passed: "success",
  failed: "danger",
  error: "warning",
  cancelled: "neutral",
};

/**
 * A suite run as it goes: progress, Stop (with `canStop`: `runs:start`), pass@1 per model
 * as a chart and a table, every task's session a click away.
 */
export function SuiteRunPage({
  initial,
  canStop,
}: {
  initial: { suiteRun: SuiteRunView; report: SuiteReport };
  canStop: boolean;
}) {
  const [{ suiteRun, report }, setState] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const running = suiteRun.status === "running";

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      api
        .getSuiteRun(suiteRun.id)
        .then((next) => {
          setState(next);
          setError(null);
        })
        .catch((caught: unknown) => setError(errorMessage(caught, "Lost touch with the server.")));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, suiteRun.id]);

  async function stop() {
    setStopping(true);
    try {
      setState(await api.cancelSuiteRun(suiteRun.id));
    } catch (caught) {
      setError(errorMessage(caught, "Could not stop the suite run."));
    } finally {
      setStopping(false);
    }
  }

  const { done, total } = report.progress;
  return (
    <div className="mx-auto w-full max-w-5xl space-y-6 px-4 py-8">
      <header className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1">
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            <Link href="/suites" className="hover:underline">
              Suites
            </Link>{" "}
            / run
          </p>
          <h1 className="truncate text-xl font-semibold tracking-tight">{suiteRun.suiteName}</h1>
        </div>
        <span role="status" aria-label="Suite run status" className="text-sm text-zinc-600 dark:text-zinc-400">
          {running
            ? "Running"
            : suiteRun.status === "done"
              ? "Done"
              : suiteRun.status === "cancelled"
                ? "Stopped"
                : `Failed: ${suiteRun.errorMessage ?? "the server restarted"}`}
          {suiteRun.resumeCount > 0
            ? ` · resumed ${suiteRun.resumeCount === 1 ? "once" : `${suiteRun.resumeCount} times`} after its server stopped`
            : ""}
        </span>
        {running && canStop ? (
          <Button variant="danger" onClick={() => void stop()} disabled={stopping}>
            {stopping ? "Stopping…" : "Stop"}
          </Button>
        ) : null}
      </header>
      <ErrorMessage message={error} />

      <div className="space-y-1">
        <div
          role="progressbar"
          aria-label="Tasks finished"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
        >
          <div
            className="h-full bg-violet-500 transition-[width] motion-reduce:transition-none"
            style={{ width: `${total === 0 ? 0 : (done / total) * 100}%` }}
          />
        </div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400 tabular-nums">
          {done} of {total} finished · {suiteRun.tasks.length} tasks × {suiteRun.modelIds.length} models ·{" "}
          {suiteRun.concurrency} at once
        </p>
      </div>

      <section aria-labelledby="pass-heading" className="space-y-2">
        <h2
          id="pass-heading"
          className="text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400"
        >
          pass@1 per model
        </h2>
        <PassChart models={report.models} />
        <SummaryTable models={report.models} total={report.total} />
      </section>

      <section aria-labelledby="tasks-heading" className="space-y-2">
        <h2
          id="tasks-heading"
          className="text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400"
        >
          Tasks
        </h2>
        <TaskTable suiteRun={suiteRun} />
      </section>
    </div>
  );
}

function PassChart({ models }: { models: ModelSummary[] }) {
  return (
    <ul className="space-y-1.5" aria-label="pass@1 chart">
      {models.map((model) => (
        <li key={model.modelId} className="flex items-center gap-3 text-sm">
          <span className="w-44 shrink-0 truncate font-mono text-xs" title={model.modelId}>
            {model.modelId}
          </span>
          <span className="h-4 flex-1 overflow-hidden rounded bg-zinc-100 dark:bg-zinc-900">
            <span
              className="block h-full rounded bg-emerald-500 dark:bg-emerald-600"
              style={{ width: `${(model.passAt1 ?? 0) * 100}%` }}
            />
          </span>
          <span className="w-32 shrink-0 text-right text-xs tabular-nums">
            {percent(model.passAt1)} ({model.passed}/{model.graded})
          </span>
        </li>
      ))}
    </ul>
  );
}

function SummaryRow({ name, summary }: { name: string; summary: Omit<ModelSummary, "modelId"> }) {
  return (
    <tr className="border-t border-zinc-200 dark:border-zinc-800">
      <th scope="row" className="py-1 pr-3 text-left font-mono text-xs font-medium">
        {name}
      </th>
      <td className="px-2 text-right">{percent(summary.passAt1)}</td>
      <td className="px-2 text-right">
        {summary.passed}/{summary.graded}
      </td>
      <td className="px-2 text-right">{tokens(summary.inputTokens)}</td>
      <td className="px-2 text-right">{tokens(summary.outputTokens)}</td>
      <td className="px-2 text-right">{tokens(summary.reasoningTokens)}</td>
      <td className="px-2 text-right">{usd(summary.costUsd)}</td>
      <td className="px-2 text-right">{ms(summary.meanFirstTokenMs)}</td>
      <td className="pl-2 text-right">{ms(summary.meanTotalMs)}</td>
    </tr>
  );
}

function SummaryTable({ models, total }: { models: ModelSummary[]; total: Omit<ModelSummary, "modelId"> }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm tabular-nums">
        <thead className="text-xs text-zinc-500 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-1 pr-3 text-left font-medium">
              Model
            </th>
            {["pass@1", "passed", "input", "output", "reasoning", "cost", "first token", "total time"].map((label) => (
              <th key={label} scope="col" className="px-2 text-right font-medium">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <SummaryRow key={model.modelId} name={model.modelId} summary={model} />
          ))}
          {models.length > 1 ? <SummaryRow name="All models" summary={total} /> : null}
        </tbody>
      </table>
      <p className="mt-1 text-[11px] text-zinc-500 dark:text-zinc-400">
        Tokens and cost summed over the tasks; times are means per task (first token and total, from the run's start).
      </p>
    </div>
  );
}

function TaskTable({ suiteRun }: { suiteRun: SuiteRunView }) {
  const resultOf = (taskId: string, modelId: string) =>
    suiteRun.results.find((result) => result.taskId === taskId && result.modelId === modelId);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="text-xs text-zinc-500 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-1 pr-3 text-left font-medium">
              Task
            </th>
            {suiteRun.modelIds.map((modelId) => (
              <th key={modelId} scope="col" className="px-2 text-left font-mono font-medium">
                {modelId}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {suiteRun.tasks.map((task) => (
            <tr key={task.id} className="border-t border-zinc-200 align-top dark:border-zinc-800">
              <th scope="row" className="py-1.5 pr-3 text-left font-normal">
                <span className="block text-sm">{task.title}</span>
                <span className="font-mono text-[11px] text-zinc-500 dark:text-zinc-400">
                  {task.id} · {task.language}
                </span>
              </th>
              {suiteRun.modelIds.map((modelId) => {
                const result = resultOf(task.id, modelId);
                return (
                  <td key={modelId} className="px-2 py-1.5">
                    {result ? <ResultCell result={result} /> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResultCell({ result }: { result: SuiteResult }) {
  return (
    <div className="space-y-0.5">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={RESULT_TONE[result.status]}>{result.status}</Badge>
        {result.testsTotal > 0 ? (
          <span className="text-[11px] text-zinc-500 dark:text-zinc-400 tabular-nums">
            {result.testsPassed}/{result.testsTotal} tests
          </span>
        ) : null}
        {result.sessionId ? (
          <Link
            href={`/s/${result.sessionId}`}
            aria-label={`Session: ${result.taskId} on ${result.modelId}`}
            className="text-[11px] font-medium text-violet-700 hover:underline dark:text-violet-300"
          >
            Session
          </Link>
        ) : null}
      </div>
      {result.totalMs !== null ? (
        <p className="text-[11px] text-zinc-500 dark:text-zinc-400 tabular-nums">
          {tokens(result.outputTokens)} out · {usd(result.costUsd)} · {ms(result.totalMs)}
        </p>
      ) : null}
      {result.message && (result.status === "failed" || result.status === "error") ? (
        <p className="line-clamp-2 max-w-xs text-[11px] text-red-700 dark:text-red-300" title={result.message}>
          {result.message}
        </p>
      ) : null}
    </div>
  );
}
