"use client";

import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { api } from "@/lib/wire/api";
import type { BranchReviewView } from "@/lib/wire/reviews";
import { onReviewChange } from "../app/review-signal";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { useDismiss } from "../ui/use-dismiss";
import { VERDICT_LABELS } from "./verdicts";

// The panel (history and the review form) loads when first opened: most visits never open it.
const BranchReviewPanel = lazy(() => import("./branch-review-panel"));

/** How long a burst of review or comment events settles before the branch's reviews are fetched again (ms). */
const SETTLE_MS = 300;

/**
 * The branch on screen's review, as on a pull request: a badge with its state and a
 * panel with its history, where someone with `reviews:write` asks for review, approves,
 * or asks for changes with a summary — once no run is adding to the branch (`growing`).
 *
 * The reviews are fetched when the branch's end (`leafId`) changes — a run adds a step, a
 * new end, about once a second; what it streams into a step is no change — and when a
 * review or comment changes on the page (review-signal.ts: a verdict may have come with
 * it). Meanwhile the last answer stays on screen, badge and history, so a growing branch
 * does not flash "Loading…" at each step; "Loading…" is only for the first fetch.
 */
export function BranchReview({
  sessionId,
  leafId,
  canReview,
  growing,
}: {
  sessionId: string;
  leafId: string | null;
  canReview: boolean;
  growing: boolean;
}) {
  const [reviews, setReviews] = useState<BranchReviewView[] | null>(null);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);

  // a review or comment event: fetch again, once a burst of them has settled
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    let settle: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = onReviewChange(() => {
      clearTimeout(settle);
      settle = setTimeout(() => setChanges((count) => count + 1), SETTLE_MS);
    });
    return () => {
      clearTimeout(settle);
      unsubscribe();
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes` is when to fetch again, not what
  useEffect(() => {
    if (!leafId) return;
    let current = true;
    api.branchReviews(sessionId, leafId).then(
      (body) => current && setReviews(body.reviews),
      () => current && setReviews([]),
    );
    return () => {
      current = false;
    };
  }, [sessionId, leafId, changes]);

  useDismiss(root, open, close);

  if (!leafId) return null;
  const latest = reviews?.at(-1);
  const state = latest ? VERDICT_LABELS[latest.verdict] : null;
  return (
    <div ref={root} className="relative">
      <Button
        variant="ghost"
        className="px-2 py-1 text-xs"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen(!open)}
      >
        Review
        {state ? <Badge tone={state.tone}>{state.label}</Badge> : null}
      </Button>
      {open ? (
        <div
          role="dialog"
          aria-label="Review of this branch"
          className="absolute top-full left-0 z-30 mt-1 w-[min(26rem,calc(100vw-2rem))] overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <Suspense fallback={<p className="p-3 text-xs text-zinc-500 dark:text-zinc-400">Loading…</p>}>
            <BranchReviewPanel
              sessionId={sessionId}
              leafId={leafId}
              reviews={reviews}
              canReview={canReview}
              growing={growing}
              onAdded={(review) => setReviews((current) => [...(current ?? []), review])}
            />
          </Suspense>
        </div>
      ) : null}
    </div>
  );
}
