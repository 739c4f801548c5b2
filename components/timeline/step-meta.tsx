"use client";

import { useEffect, useState } from "react";
import { formatReasoning, formatTokens, formatUsd } from "@/lib/model/catalog";
import type { StepNode } from "@/lib/steps/types";
import { elapsed, formatDuration, stepAuthorLabel } from "./format";

/** Who made a step (a person's or a bot's), then its tokens, cost and timings, in the order a person scans them. */
export function StepMeta({ step }: { step: StepNode }) {
  const firstToken = elapsed(step.createdAt, step.firstTokenAt);
  const duration = elapsed(step.createdAt, step.finishedAt);
  const author = stepAuthorLabel(step);
  const parts: { label: string; title: string }[] = [];
  if (step.inputTokens) parts.push({ label: `${formatTokens(step.inputTokens)} in`, title: "Input tokens" });
  if (step.outputTokens) parts.push({ label: `${formatTokens(step.outputTokens)} out`, title: "Output tokens" });
  if (step.reasoningTokens)
    parts.push({
      label: formatReasoning(step.reasoningTokens, step.reasoningEstimated),
      title: step.reasoningEstimated
        ? "Reasoning tokens, estimated from the thinking text: this route reports only output tokens"
        : "Reasoning tokens",
    });
  if (step.costUsd) parts.push({ label: formatUsd(step.costUsd), title: "Cost" });
  // Timings describe the model writing; a task, a person's step or a tool's output has none.
  const timed =
    step.origin === "model" && (step.kind === "thinking" || step.kind === "text" || step.kind === "tool_call");
  if (timed && firstToken !== null)
    parts.push({ label: `${formatDuration(firstToken)} to first token`, title: "Time to first token" });
  return (
    <span className="flex flex-wrap items-center gap-x-2 font-mono text-[11px] text-zinc-500 tabular-nums dark:text-zinc-400">
      {author ? (
        <span className="font-sans text-zinc-600 dark:text-zinc-300" title="Made by" data-testid="step-author">
          {author}
        </span>
      ) : null}
      {parts.map((part) => (
        <span key={part.title} title={part.title}>
          {part.label}
        </span>
      ))}
      {timed && step.status === "streaming" ? <LiveDuration since={step.createdAt} /> : null}
      {timed && step.status !== "streaming" && duration !== null ? (
        <span title="Duration">{formatDuration(duration)}</span>
      ) : null}
    </span>
  );
}

/** A ticking duration; only streaming steps mount one, so idle rows never re-render. */
export function LiveDuration({ since }: { since: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (now === null) return null;
  return <span title="Running for">{formatDuration(now - Date.parse(since))}</span>;
}
