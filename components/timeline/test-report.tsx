"use client";

import { useState } from "react";
import type { TestReport, TestResult } from "@/lib/sandbox/types";
import type { StepNode } from "@/lib/steps/types";
import { formatDuration } from "./format";
import { toneOf } from "./test-counts";

/** Passing and skipped tests listed before "Show all" is needed. */
const LISTED_TESTS = 12;

const LANGUAGE: Record<TestReport["language"], string> = {
  python: "Python",
  typescript: "TypeScript",
  javascript: "JavaScript",
};

const STATUS_MARK: Record<TestResult["status"], { mark: string; label: string; className: string }> = {
  pass: { mark: "✓", label: "passed", className: "text-emerald-600 dark:text-emerald-400" },
  fail: { mark: "✗", label: "failed", className: "text-red-600 dark:text-red-400" },
  error: { mark: "!", label: "error", className: "text-red-600 dark:text-red-400" },
  skip: { mark: "–", label: "skipped", className: "text-zinc-400 dark:text-zinc-500" },
};

function TestLine({ test, showFile }: { test: TestResult; showFile: boolean }) {
  const status = STATUS_MARK[test.status];
  const failing = test.status === "fail" || test.status === "error";
  return (
    <li className="min-w-0">
      <div className="flex items-baseline gap-2 font-mono text-xs">
        <span aria-hidden className={`w-3 shrink-0 text-center font-bold ${status.className}`}>
          {status.mark}
        </span>
        <span className="sr-only">{status.label}:</span>
        <span
          className={`min-w-0 flex-1 truncate ${failing ? "text-zinc-900 dark:text-zinc-100" : "text-zinc-600 dark:text-zinc-400"}`}
          title={`${test.file}::${test.name}`}
        >
          {showFile ? <span className="text-zinc-400 dark:text-zinc-500">{test.file}::</span> : null}
          {test.name}
        </span>
        <span className="shrink-0 text-[11px] text-zinc-400 tabular-nums dark:text-zinc-500">
          {formatDuration(test.durationMs)}
        </span>
      </div>
      {test.message && test.status !== "pass" ? (
        <pre
          className={`mt-0.5 mb-1 ml-5 max-h-48 overflow-auto rounded px-2 py-1 font-mono text-[11px] leading-4 whitespace-pre-wrap break-words ${
            failing
              ? "bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200"
              : "bg-zinc-100 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400"
          }`}
        >
          {test.message}
        </pre>
      ) : null}
    </li>
  );
}

function OutputBlock({ name, output }: { name: string; output: TestReport["stdout"] }) {
  if (!output.text) return null;
  return (
    <details className="text-xs">
      <summary className="cursor-pointer font-medium text-zinc-600 select-none dark:text-zinc-400">
        {name}
        {output.truncated ? " (cut)" : ""}
      </summary>
      <pre className="mt-1 max-h-48 overflow-auto rounded bg-zinc-100 px-2 py-1 font-mono text-[11px] whitespace-pre-wrap break-words text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
        {output.text}
      </pre>
    </details>
  );
}

/**
 * A test report as a step shows it: language, files and duration; why the run stopped if it
 * did not complete; every failing test with its message; the passing ones by name (the
 * first dozen, then "Show all"); stdout and stderr folded.
 */
export function TestReportView({ report }: { report: TestReport }) {
  const [showAll, setShowAll] = useState(false);
  const failing = report.tests.filter((test) => test.status === "fail" || test.status === "error");
  const rest = report.tests.filter((test) => test.status !== "fail" && test.status !== "error");
  const listed = showAll ? rest : rest.slice(0, LISTED_TESTS);
  const showFile = report.testFiles.length > 1;
  const stopped = report.outcome !== "completed" && report.outcomeMessage;
  return (
    <section
      aria-label="Test report"
      className="space-y-1.5 rounded-md border border-zinc-200 bg-white px-2.5 py-2 dark:border-zinc-800 dark:bg-zinc-950"
    >
      <p className="flex flex-wrap items-baseline gap-x-2 text-xs text-zinc-500 dark:text-zinc-400">
        <span className="font-medium text-zinc-700 dark:text-zinc-300">{LANGUAGE[report.language]}</span>
        {report.testFiles.length > 0 ? (
          <span className="min-w-0 truncate font-mono text-[11px]" title={report.testFiles.join(", ")}>
            {report.testFiles.join(", ")}
          </span>
        ) : null}
        <span className="tabular-nums">{report.counts.total} tests</span>
        <span className="tabular-nums">in {formatDuration(report.durationMs)}</span>
      </p>
      {stopped ? (
        <p
          className={`rounded px-2 py-1 text-xs ${
            toneOf(report) === "fail"
              ? "bg-red-50 text-red-800 dark:bg-red-950/40 dark:text-red-200"
              : "bg-amber-50 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
          }`}
        >
          {report.outcomeMessage}
        </p>
      ) : null}
      {report.tests.length > 0 ? (
        <ul className="space-y-0.5">
          {failing.map((test) => (
            <TestLine key={`${test.file}::${test.name}`} test={test} showFile={showFile} />
          ))}
          {listed.map((test) => (
            <TestLine key={`${test.file}::${test.name}`} test={test} showFile={showFile} />
          ))}
        </ul>
      ) : null}
      {rest.length > LISTED_TESTS ? (
        <button
          type="button"
          className="text-xs font-medium text-zinc-600 hover:underline dark:text-zinc-400"
          aria-expanded={showAll}
          onClick={() => setShowAll(!showAll)}
        >
          {showAll ? "Show fewer" : `Show all ${rest.length} passing and skipped`}
        </button>
      ) : null}
      {report.counts.total > report.tests.length ? (
        <p className="text-[11px] text-zinc-500">
          {report.counts.total - report.tests.length} more tests ran; only the first {report.tests.length} are kept.
        </p>
      ) : null}
      <OutputBlock name="stdout" output={report.stdout} />
      <OutputBlock name="stderr" output={report.stderr} />
    </section>
  );
}

/**
 * A person's Run in the editor: the report, and how the model will read it — the design
 * keeps the model's thinking by carrying it in the tool result it follows where there is one.
 * Worded for every viewer: the step's header names who ran it (a teammate, a bot's token),
 * so the note never says "you".
 */
export function PersonTestRunBody({ step, report }: { step: StepNode; report: TestReport }) {
  return (
    <div className="space-y-1">
      <TestReportView report={report} />
      <p className="text-[11px] text-zinc-500 dark:text-zinc-400">
        {step.providerData?.replayAs === "tool_result"
          ? "Run from the editor. The model reads this report with the tool result before it, so its earlier thinking is kept."
          : "Run from the editor. The model reads this report as the person's message when the run continues."}
      </p>
    </div>
  );
}
