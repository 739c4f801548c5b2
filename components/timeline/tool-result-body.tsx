"use client";

import { useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import { Badge } from "../ui/badge";
import { TestReportView } from "./lazy-parts";
import { TestCountsBadge, TestsRunning } from "./test-counts";

const PREVIEW_LINES = 8;

export function ToolResultBody({ step }: { step: StepNode }) {
  const [showAll, setShowAll] = useState(false);
  const report = step.providerData?.testReport;
  if (report) return <TestReportView report={report} />;
  if (step.status === "streaming" && step.providerData?.toolName === "run_tests") return <TestsRunning />;
  // stopped mid-call (Stop, a server stopping): the model is told the call never ran (history.ts NOT_EXECUTED)
  if (step.status === "interrupted" && step.content === "") {
    return (
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        The run stopped before this finished. The model is told the call never ran.
      </p>
    );
  }
  const failed = step.providerData?.isError === true || step.status === "error";
  const lines = step.content.split("\n");
  const clipped = !showAll && lines.length > PREVIEW_LINES;
  const text = clipped ? lines.slice(0, PREVIEW_LINES).join("\n") : step.content;
  return (
    <div>
      <pre
        className={`max-h-72 overflow-auto rounded-md px-2.5 py-1.5 font-mono text-xs whitespace-pre-wrap break-words ${
          failed
            ? "bg-red-50 text-red-800 dark:bg-red-950/40 dark:text-red-200"
            : "bg-zinc-100 text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
        }`}
      >
        {text || "(no output)"}
      </pre>
      {lines.length > PREVIEW_LINES ? (
        <button
          type="button"
          className="mt-0.5 text-xs font-medium text-zinc-600 hover:underline dark:text-zinc-400"
          aria-expanded={showAll}
          onClick={() => setShowAll(!showAll)}
        >
          {showAll ? "Show less" : `Show all ${lines.length} lines`}
        </button>
      ) : null}
    </div>
  );
}

/** A tool result's header badge: its test counts, or ok/error; none while it streams or once it was cut off (the row says "interrupted"). */
export function ResultBadge({ step }: { step: StepNode }) {
  const report = step.providerData?.testReport;
  if (report) return <TestCountsBadge report={report} />;
  if (step.status === "streaming" || step.status === "interrupted") return null;
  const failed = step.providerData?.isError === true || step.status === "error";
  return failed ? <Badge tone="danger">error</Badge> : <Badge tone="success">ok</Badge>;
}
