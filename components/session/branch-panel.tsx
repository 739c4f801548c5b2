"use client";

import { lazy, Suspense, useCallback, useRef, useState } from "react";
import type { BranchSummary } from "@/lib/steps/branches";
import type { StepNode } from "@/lib/steps/types";
import { apiFetch } from "@/lib/wire/client";
import { Button } from "../ui/button";
import { useDismiss } from "../ui/use-dismiss";

// The list loads when first opened, while the server lists the branches: most visits never open it.
const BranchList = lazy(() => import("./branch-list"));

const LOADING = (
  <p className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400" role="status">
    Loading branches…
  </p>
);

/**
 * "Branches (N)": every leaf of the session with how it ends, who made it and when —
 * listed by the server when the panel opens (the page holds only the branch on screen);
 * open one, or tick two and compare them (./branch-list.tsx).
 */
export function BranchPanel({
  sessionId,
  count,
  loaded,
  leafId,
  onOpen,
  onCompare,
}: {
  sessionId: string;
  count: number;
  loaded: ReadonlyMap<string, StepNode>;
  leafId: string | null;
  onOpen: (leafId: string) => void;
  onCompare: (a: string, b: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [branches, setBranches] = useState<BranchSummary[] | null>(null);
  const [failed, setFailed] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);

  useDismiss(root, open, close);

  function toggle() {
    if (!open) {
      setFailed(false);
      apiFetch<{ branches: BranchSummary[] }>(`/api/sessions/${sessionId}/branches`).then(
        (body) => setBranches(body.branches),
        () => setFailed(true),
      );
    }
    setOpen(!open);
  }

  const shownCount = open && branches ? branches.length : count;
  return (
    <div ref={root} className="relative">
      <Button
        variant="ghost"
        className="px-2 py-1 text-xs"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={toggle}
      >
        Branches ({shownCount})
      </Button>
      {open ? (
        <div
          role="dialog"
          aria-label="Branches"
          className="absolute top-full left-0 z-30 mt-1 w-[min(32rem,calc(100vw-2rem))] overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <Suspense fallback={LOADING}>
            <BranchList
              branches={branches}
              failed={failed}
              count={shownCount}
              loaded={loaded}
              leafId={leafId}
              onOpen={onOpen}
              onCompare={onCompare}
              onClose={close}
            />
          </Suspense>
        </div>
      ) : null}
    </div>
  );
}
