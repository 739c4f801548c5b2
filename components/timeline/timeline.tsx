"use client";

import { type KeyboardEvent, type MouseEvent, useEffect, useRef } from "react";
import type { StepIndex } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import { RunActiveContext, type StepActions } from "./step-actions";
import { StepList } from "./step-list";
import { useFollowStream } from "./use-follow-stream";

const INTERACTIVE = "button, a, input, textarea, select, label, [role='button']";

/**
 * The path from the task to the visible leaf, one row per step. It follows a stream at
 * the bottom unless the person scrolled up, and moves the selection with ↑/↓ or j/k.
 */
export function Timeline({
  path,
  index,
  selectedId,
  runActive,
  actions,
}: {
  path: readonly StepNode[];
  index: StepIndex;
  /** null: the end of the path */
  selectedId: string | null;
  runActive: boolean;
  actions: StepActions;
}) {
  const scroller = useRef<HTMLElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const { scrolledAway, onScroll, follow } = useFollowStream(scroller, list);

  useEffect(() => {
    if (!selectedId) return;
    const row = scroller.current?.querySelector(`[data-step-id="${CSS.escape(selectedId)}"]`);
    row?.scrollIntoView({ block: "nearest" });
  }, [selectedId]);

  function onClick(event: MouseEvent<HTMLElement>) {
    const target = event.target as Element;
    if (target.closest(INTERACTIVE)) return;
    // Selecting text inside a step should not also move the editor.
    if (window.getSelection()?.toString()) return;
    const id = target.closest<HTMLElement>("[data-step-id]")?.dataset.stepId;
    if (id) actions.select(id);
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if ((event.target as Element).closest("input, textarea, [contenteditable='true']")) return;
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const moves: Record<string, -1 | 1> = { ArrowUp: -1, k: -1, ArrowDown: 1, j: 1 };
    const move = moves[event.key];
    if (move === undefined || path.length === 0) return;
    event.preventDefault();
    const current = selectedId ? path.findIndex((step) => step.id === selectedId) : path.length;
    const next = path[Math.min(path.length - 1, Math.max(0, current + move))];
    if (next) actions.select(next.id);
  }

  const last = path[path.length - 1];
  return (
    <div className="relative min-h-0 flex-1">
      <section
        ref={scroller}
        onScroll={onScroll}
        onClick={onClick}
        onKeyDown={onKeyDown}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the list takes focus so ↑/↓ can move the selected step
        tabIndex={0}
        aria-label="Timeline (↑/↓ to move between steps)"
        className="h-full overflow-y-auto overscroll-contain focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-violet-500"
      >
        <RunActiveContext value={runActive}>
          <StepList ref={list} steps={path} index={index} selectedId={selectedId} actions={actions} />
        </RunActiveContext>
      </section>
      {scrolledAway && last?.status === "streaming" ? (
        <button
          type="button"
          onClick={follow}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full border border-zinc-300 bg-white px-3 py-1 text-xs font-medium shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          ↓ Follow the stream
        </button>
      ) : null}
    </div>
  );
}
