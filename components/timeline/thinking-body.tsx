"use client";

import { useState } from "react";
import type { StepNode } from "@/lib/steps/types";

const LONG_CHARS = 420;
const LONG_LINES = 5;

/** Reasoning reads apart from output: muted, italic, violet rail; long thoughts fold to a few lines. */
export function ThinkingBody({ step }: { step: StepNode }) {
  const [expanded, setExpanded] = useState<boolean | null>(null);
  const long = step.content.length > LONG_CHARS || step.content.split("\n").length > LONG_LINES;
  // A thought being written stays open; a finished long one folds unless the person opened it.
  const open = expanded ?? (step.status === "streaming" || !long);
  if (step.content === "" && step.status === "streaming") {
    return <p className="thinking-text text-zinc-500 dark:text-zinc-400">Thinking…</p>;
  }
  return (
    <div>
      <p className={`thinking-text whitespace-pre-wrap ${open ? "" : "line-clamp-3"}`}>{step.content}</p>
      {long && step.status !== "streaming" ? (
        <button
          type="button"
          className="mt-0.5 text-xs font-medium text-violet-700 hover:underline dark:text-violet-300"
          aria-expanded={open}
          onClick={() => setExpanded(!open)}
        >
          {open ? "Show less" : "Show more"}
        </button>
      ) : null}
    </div>
  );
}
