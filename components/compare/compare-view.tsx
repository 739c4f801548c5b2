"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { describeDifferences, type ModelRunStats } from "@/lib/compare/stats";
import { formatReasoning, formatTokens, formatUsd } from "@/lib/model/catalog";
import { ACTIVE_RUN_STATUSES, type StepNode } from "@/lib/steps/types";
import { api } from "@/lib/wire/api";
import type { ComparisonView } from "@/lib/wire/compare";
import { formatDuration } from "../timeline/format";
import { KIND_DOT, kindLabel } from "../timeline/step-kind";
import { StepMeta } from "../timeline/step-meta";

/** How often the page asks for news while a run is going (each model's run is its own session). */
const POLL_MS = 1000;

const isLive = (comparison: ComparisonView) =>
  comparison.entries.some((entry) => entry.run && ACTIVE_RUN_STATUSES.includes(entry.run.status));

/** Compare: the numbers per model, how they differ, and the timelines side by side, one row per turn. */
export function CompareView({ initial }: { initial: ComparisonView }) {
  const [comparison, setComparison] = useState(initial);
  const [reference, setReference] = useState(0);
  const [stale, setStale] = useState(false);
  const live = isLive(comparison);

  useEffect(() => {
    if (!live) return;
    const timer = setTimeout(() => {
      api
        .getComparison(comparison.id)
        .then((body) => {
          setComparison(body.comparison);
          setStale(false);
        })
        .catch(() => setStale(true));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [comparison, live]);

  const models = comparison.entries.map((entry) => ({ label: entry.label, stats: entry.stats }));
  const differences = describeDifferences(models, reference);

  return (
    <div className="mx-auto w-full max-w-[1600px] space-y-6 px-4 py-6">
      <header className="space-y-1">
        <p className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          Compare · {comparison.entries.length} models{live ? " · running" : ""}
        </p>
        <h1 className="line-clamp-3 whitespace-pre-wrap text-lg font-semibold">{comparison.task}</h1>
        {stale ? (
          <p role="status" className="text-xs text-amber-700 dark:text-amber-400">
            Can't reach the server; showing the last numbers. Retrying…
          </p>
        ) : null}
      </header>

      <section aria-labelledby="numbers-heading" className="space-y-2">
        <h2 id="numbers-heading" className="text-sm font-semibold">
          Numbers
        </h2>
        <StatsTable comparison={comparison} />
      </section>

      <section aria-labelledby="differences-heading" className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="differences-heading" className="text-sm font-semibold">
            Differences
          </h2>
          <label className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            against
            <select
              value={reference}
              onChange={(event) => setReference(Number(event.target.value))}
              className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
            >
              {comparison.entries.map((entry, index) => (
                <option key={entry.session.id} value={index}>
                  {entry.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ul className="space-y-1 text-sm" aria-label="Differences">
          {differences.map((difference) => (
            <li key={difference.label}>
              <span className="font-medium">{difference.label}:</span> {difference.sentence}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="timelines-heading" className="space-y-2">
        <h2 id="timelines-heading" className="text-sm font-semibold">
          Timelines, turn by turn
        </h2>
        <SideBySide comparison={comparison} />
      </section>
    </div>
  );
}

const dash = "—";
const ms = (value: number | null) => (value === null ? dash : formatDuration(value));

function testsCell(stats: ModelRunStats): string {
  if (!stats.tests) return dash;
  return `${stats.tests.passed}/${stats.tests.total} passed${stats.tests.failed ? `, ${stats.tests.failed} failed` : ""}`;
}

function StatsTable({ comparison }: { comparison: ComparisonView }) {
  const header = "px-3 py-2 text-left text-xs font-medium text-zinc-600 dark:text-zinc-400";
  const cell = "px-3 py-2 font-mono text-xs tabular-nums";
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table
        className="w-full min-w-[880px] border-collapse bg-white text-sm dark:bg-zinc-900"
        aria-label="Numbers per model"
      >
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950">
          <tr>
            <th scope="col" className={header}>
              Model
            </th>
            <th scope="col" className={header}>
              Status
            </th>
            <th scope="col" className={header}>
              Turns
            </th>
            <th scope="col" className={header}>
              Input
            </th>
            <th scope="col" className={header}>
              Output
            </th>
            <th scope="col" className={header}>
              Reasoning
            </th>
            <th scope="col" className={header}>
              Cost
            </th>
            <th scope="col" className={header}>
              First token
            </th>
            <th scope="col" className={header}>
              Total time
            </th>
            <th scope="col" className={header}>
              Tests
            </th>
          </tr>
        </thead>
        <tbody>
          {comparison.entries.map(({ session, label, group, stats, run }) => (
            <tr key={session.id} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <Link href={`/s/${session.id}`} className="text-violet-700 hover:underline dark:text-violet-300">
                  {label}
                </Link>
                <span className="block text-[11px] font-normal text-zinc-500 dark:text-zinc-400">{group}</span>
              </th>
              <td className="max-w-56 px-3 py-2 text-xs">
                {stats.status ?? "not started"}
                {run?.errorMessage && (stats.status === "failed" || stats.status === "cancelled") ? (
                  <span
                    className="block line-clamp-2 text-[11px] text-red-700 dark:text-red-400"
                    title={run.errorMessage}
                  >
                    {run.errorMessage}
                  </span>
                ) : null}
              </td>
              <td className={cell}>{stats.turns}</td>
              <td className={cell}>{formatTokens(stats.inputTokens)}</td>
              <td className={cell}>{formatTokens(stats.outputTokens)}</td>
              <td
                className={cell}
                title={
                  stats.reasoningEstimated
                    ? "Estimated from the thinking text: this route reports only output tokens"
                    : undefined
                }
              >
                {formatReasoning(stats.reasoningTokens, stats.reasoningEstimated).replace(" reasoning", "")}
              </td>
              <td className={cell}>{formatUsd(stats.costUsd)}</td>
              <td className={cell}>{ms(stats.timeToFirstTokenMs)}</td>
              <td className={cell}>{ms(stats.totalMs)}</td>
              <td className={cell} title={stats.tests ? undefined : "No test run on this branch yet"}>
                {testsCell(stats)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The turns any model took, in order (a model that took fewer leaves its cells empty). */
function turnsOf(comparison: ComparisonView): number[] {
  const turns = new Set<number>();
  for (const entry of comparison.entries) {
    for (const step of entry.path) if (step.turn !== null) turns.add(step.turn);
  }
  return [...turns].sort((a, b) => a - b);
}

/**
 * One grid, a column per model and a row per turn, in one scroll box: the models scroll
 * together, and turn N of each sits side by side whatever the others wrote before it.
 */
function SideBySide({ comparison }: { comparison: ComparisonView }) {
  const columns = comparison.entries.length;
  const grid = { gridTemplateColumns: `repeat(${columns}, minmax(260px, 1fr))` };
  const turns = turnsOf(comparison);
  return (
    <section
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll box must take focus so the keyboard can scroll it
      tabIndex={0}
      aria-label="Timelines side by side"
      className="max-h-[75vh] overflow-auto rounded-lg border border-zinc-200 focus-visible:outline-2 focus-visible:outline-violet-500 dark:border-zinc-800"
      data-testid="side-by-side"
    >
      <div className="sticky top-0 z-10 grid gap-px bg-zinc-200 dark:bg-zinc-800" style={grid}>
        {comparison.entries.map((entry) => (
          <div key={entry.session.id} className="bg-zinc-50 px-3 py-2 text-sm font-medium dark:bg-zinc-950">
            {entry.label}
          </div>
        ))}
      </div>
      {turns.length === 0 ? (
        <p className="p-4 text-sm text-zinc-500 dark:text-zinc-400">Waiting for the models' first steps…</p>
      ) : null}
      {turns.map((turn) => (
        <div key={turn} data-turn={turn}>
          <div className="border-y border-zinc-200 bg-zinc-100 px-3 py-1 text-[11px] font-semibold uppercase tracking-wide text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
            Turn {turn}
          </div>
          <div className="grid gap-px bg-zinc-200 dark:bg-zinc-800" style={grid}>
            {comparison.entries.map((entry) => (
              <div key={entry.session.id} className="space-y-2 bg-white p-3 dark:bg-zinc-900">
                {entry.path
                  .filter((step) => step.turn === turn)
                  .map((step) => (
                    <StepCard key={step.id} step={step} />
                  ))}
              </div>
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}

function StepCard({ step }: { step: StepNode }) {
  const body =
    step.kind === "thinking"
      ? "text-zinc-600 italic dark:text-zinc-300"
      : step.kind === "tool_call" || step.kind === "tool_result"
        ? "font-mono text-[11px] text-zinc-700 dark:text-zinc-300"
        : "text-zinc-900 dark:text-zinc-100";
  return (
    <article className="space-y-1" aria-label={kindLabel(step)}>
      <div className="flex items-center gap-2 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        <span aria-hidden className={`h-2 w-2 rounded-full ${KIND_DOT[step.kind]}`} />
        {kindLabel(step)}
        {step.status === "streaming" ? <span className="text-violet-700 dark:text-violet-300">streaming…</span> : null}
        {step.status === "interrupted" || step.status === "error" ? (
          <span className="text-amber-700 dark:text-amber-400">{step.status}</span>
        ) : null}
      </div>
      <p className={`whitespace-pre-wrap break-words text-sm ${body}`}>{step.content}</p>
      <StepMeta step={step} />
    </article>
  );
}
