"use client";

import type { Ref } from "react";
import { type BranchOutline, siblingsOnPath } from "@/lib/steps/branch-outline";
import type { StepKind, StepNode } from "@/lib/steps/types";
import type { Viewer } from "@/lib/wire/presence";
import type { StepActions } from "./step-actions";
import { KIND_DOT, kindLabel } from "./step-kind";
import { StepRow } from "./step-row";

/** A row of the list: the path's step at `index` (0-based), whole once loaded. */
export interface ListedRow {
  index: number;
  id: string;
  kind: StepKind;
  step: StepNode | undefined;
}

/**
 * Rows of a path, numbered from 1: the ones given (those near the viewport), with the
 * list's padding standing for the rows above and below (`before`/`after`, px). The outline
 * answers where each step sits among its alternatives; `loaded` holds the steps edits
 * were made from, for their diffs. A row whose step is not loaded says it is on its way,
 * or with `loading` false (no more will load: the session was deleted) that it was not loaded.
 */
export function StepList({
  rows,
  branch,
  loaded,
  selectedId,
  watchers,
  actions,
  before = 8,
  after = 8,
  measure,
  loading = true,
  ref,
}: {
  rows: readonly ListedRow[];
  branch: BranchOutline;
  loaded: ReadonlyMap<string, StepNode>;
  selectedId: string | null;
  /** the other viewers who have each step selected (presence) */
  watchers?: ReadonlyMap<string, readonly Viewer[]>;
  actions: StepActions;
  before?: number;
  after?: number;
  /** the virtualiser's measuring ref, given each row element */
  measure?: (element: HTMLLIElement | null) => void;
  loading?: boolean;
  ref?: Ref<HTMLOListElement>;
}) {
  return (
    <ol ref={ref} style={{ paddingTop: before, paddingBottom: after }}>
      {rows.map((row) => {
        if (!row.step) return <PendingRow key={row.id} row={row} measure={measure} loading={loading} />;
        const { siblings, position } = siblingsOnPath(branch, row.index);
        return (
          <StepRow
            key={row.id}
            step={row.step}
            number={row.index + 1}
            index={row.index}
            measure={measure}
            original={row.step.editedFromId ? loaded.get(row.step.editedFromId) : undefined}
            siblingPosition={position}
            siblingCount={siblings.length}
            selected={row.id === selectedId}
            watchers={watchers?.get(row.id)}
            actions={actions}
          />
        );
      })}
    </ol>
  );
}

/** A step whose content is on its way (or, not `loading`, will not come): its place, number and kind. */
function PendingRow({
  row,
  measure,
  loading,
}: {
  row: ListedRow;
  measure?: (element: HTMLLIElement | null) => void;
  loading: boolean;
}) {
  const label = kindLabel({ kind: row.kind, providerData: null });
  return (
    <li
      ref={measure}
      data-index={row.index}
      data-step-id={row.id}
      aria-label={`Step ${row.index + 1}: ${label}`}
      aria-busy={loading}
      className="step-row relative py-2 pr-3 pl-8"
    >
      <span aria-hidden className="absolute top-0 bottom-0 left-[15px] w-px bg-zinc-200 dark:bg-zinc-800" />
      <span
        aria-hidden
        className={`absolute top-[13px] left-[12px] h-[7px] w-[7px] rounded-full ring-2 ring-zinc-50 dark:ring-zinc-950 ${KIND_DOT[row.kind]}`}
      />
      <p className="min-h-6 text-xs text-zinc-500 dark:text-zinc-400">
        {label} · {loading ? "loading…" : "not loaded"}
      </p>
      {loading && <div aria-hidden className="mt-1 h-8 rounded bg-zinc-100 dark:bg-zinc-900" />}
    </li>
  );
}
