"use client";

import { elementScroll, useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, type MouseEvent, useEffect, useMemo, useRef } from "react";
import type { BranchOutline } from "@/lib/steps/branch-outline";
import type { StepKind, StepNode } from "@/lib/steps/types";
import type { Viewer } from "@/lib/wire/presence";
import { type CommentsApi, CommentsContext } from "./comments-context";
import { RunActiveContext, type StepActions } from "./step-actions";
import { type ListedRow, StepList } from "./step-list";
import { useFollowStream } from "./use-follow-stream";

const INTERACTIVE = "button, a, input, textarea, select, label, [role='button']";

/** A row's height before it is measured (px), by kind: folded thinking, a tool call's summary… */
const ESTIMATED_HEIGHT: Record<StepKind, number> = {
  task: 72,
  thinking: 96,
  text: 120,
  tool_call: 116,
  tool_result: 64,
  user_note: 72,
};
/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 8;
/** Before the browser measures the timeline (the server's render): a viewport this tall, at the end of the path. */
const INITIAL_RECT = { width: 640, height: 900 };

/** What the timeline shows: the path's rows, each with its step once loaded. */
export interface TimelineRow {
  id: string;
  kind: StepKind;
  step: StepNode | undefined;
}

/**
 * The path from the task to the visible leaf, one row per step, of which only those near
 * the viewport are rendered (@tanstack/react-virtual; rows are measured as they render),
 * and steps not loaded yet are asked for (`onWant`; null when no more will load, the
 * stream having ended for good: such rows say so) as their rows come near. It follows a
 * stream at the bottom unless the person scrolled up, and moves the selection with ↑/↓ or j/k.
 * `comments` reach the rows through CommentsContext, provided here rather than above: a
 * context changing above a boundary that is not hydrated yet would make React render it
 * afresh (components/ui/hydrate-later.tsx).
 */
export function Timeline({
  rows,
  branch,
  loaded,
  selectedId,
  watchers,
  runActive,
  actions,
  comments,
  onWant,
}: {
  rows: readonly TimelineRow[];
  branch: BranchOutline;
  loaded: ReadonlyMap<string, StepNode>;
  /** null: the end of the path */
  selectedId: string | null;
  /** the other viewers who have each step selected (presence) */
  watchers?: ReadonlyMap<string, readonly Viewer[]>;
  runActive: boolean;
  actions: StepActions;
  /** the session's review comments; null: none shown */
  comments: CommentsApi | null;
  onWant: ((ids: readonly string[]) => void) | null;
}) {
  const scroller = useRef<HTMLElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const { scrolledAway, follow, release, wrote, onScrollKey, handlers } = useFollowStream(scroller, list);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => ESTIMATED_HEIGHT[rows[i]?.kind ?? "text"],
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: OVERSCAN,
    paddingStart: 8,
    paddingEnd: 8,
    initialRect: INITIAL_RECT,
    // The view opens at the end of the branch: so does the server's render.
    initialOffset: () => Math.max(0, estimatedHeight(rows) - INITIAL_RECT.height),
    // its corrections for rows measured above the view are the page's own scrolls, not the person's
    scrollToFn: (offset, options, instance) => {
      elementScroll(offset, options, instance);
      wrote();
    },
  });
  const items = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();
  const first = items[0];
  const last = items.at(-1);
  const shown = useMemo<ListedRow[]>(
    () =>
      items.flatMap((item) => {
        const row = rows[item.index];
        return row ? [{ index: item.index, ...row }] : [];
      }),
    [items, rows],
  );

  // Rows near the viewport whose steps are not loaded yet: ask for them.
  const missing = shown.filter((row) => !row.step).map((row) => row.id);
  const missingKey = missing.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `missing` is keyed by its ids
  useEffect(() => {
    if (missing.length > 0) onWant?.(missing);
  }, [missingKey, onWant]);

  const selectedIndex = selectedId ? rows.findIndex((row) => row.id === selectedId) : -1;
  /** the selected step last brought into view (or found in view, or clicked) */
  const shownSelection = useRef<string | null>(null);
  // A newly selected row out of view (a ?step= link, ↑/↓) is brought into view, and the
  // stream is no longer followed; one in view (clicked) stays where it is, and following goes
  // on. Only a new selection moves the view: rows coming and going around a selected row (a
  // run's steps, the path reloaded at its end) are not the person asking to see it again.
  useEffect(() => {
    if (selectedIndex < 0 || shownSelection.current === selectedId) return;
    shownSelection.current = selectedId;
    if (rowInView(scroller.current, selectedIndex)) return;
    release();
    virtualizer.scrollToIndex(selectedIndex, { align: "auto" });
  }, [selectedId, selectedIndex, virtualizer, release]);

  function onClick(event: MouseEvent<HTMLElement>) {
    const target = event.target as Element;
    if (target.closest(INTERACTIVE)) return;
    // Selecting text inside a step should not also move the editor.
    if (window.getSelection()?.toString()) return;
    const id = target.closest<HTMLElement>("[data-step-id]")?.dataset.stepId;
    if (!id) return;
    // a row clicked was in view: it is not brought into view again, even when steps arriving
    // before the selection lands have pushed it up (the stream is followed on)
    shownSelection.current = id;
    actions.select(id);
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if ((event.target as Element).closest("input, textarea, [contenteditable='true']")) return;
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const moves: Record<string, -1 | 1> = { ArrowUp: -1, k: -1, ArrowDown: 1, j: 1 };
    const move = moves[event.key];
    if (move === undefined || rows.length === 0) {
      onScrollKey(event);
      return;
    }
    event.preventDefault();
    const current = selectedIndex >= 0 ? selectedIndex : rows.length;
    const next = rows[Math.min(rows.length - 1, Math.max(0, current + move))];
    if (next) actions.select(next.id);
  }

  const end = rows[rows.length - 1];
  return (
    <div className="relative min-h-0 flex-1">
      <section
        ref={scroller}
        {...handlers}
        onClick={onClick}
        onKeyDown={onKeyDown}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the list takes focus so ↑/↓ can move the selected step
        tabIndex={0}
        aria-label="Timeline (↑/↓ to move between steps)"
        className="h-full overflow-y-auto overscroll-contain focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-violet-500"
      >
        <RunActiveContext value={runActive}>
          <CommentsContext value={comments}>
            <StepList
              ref={list}
              rows={shown}
              branch={branch}
              loaded={loaded}
              selectedId={selectedId}
              watchers={watchers}
              actions={actions}
              before={first?.start ?? 0}
              after={last ? total - last.end : 0}
              measure={virtualizer.measureElement}
              loading={onWant !== null}
            />
          </CommentsContext>
        </RunActiveContext>
      </section>
      {scrolledAway && end?.step?.status === "streaming" ? (
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

/** Whether the row at `index` is rendered and wholly inside `scroller`'s view (or fills it). */
function rowInView(scroller: HTMLElement | null, index: number): boolean {
  const row = scroller?.querySelector(`[data-index="${index}"]`);
  if (!scroller || !row) return false;
  const view = scroller.getBoundingClientRect();
  const box = row.getBoundingClientRect();
  return (
    (box.top >= view.top - 1 && box.bottom <= view.bottom + 1) || (box.top <= view.top && box.bottom >= view.bottom)
  );
}

function estimatedHeight(rows: readonly TimelineRow[]): number {
  let height = 16;
  for (const row of rows) height += ESTIMATED_HEIGHT[row.kind];
  return height;
}
