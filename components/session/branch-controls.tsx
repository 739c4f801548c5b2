"use client";

import type { StepNode } from "@/lib/steps/types";
import { BranchPanel } from "./branch-panel";
import { BranchReview } from "./branch-review";
import { useCan } from "./session-access";

/**
 * The steps toolbar's controls for a member: "Branches (N)" (the branch switcher and
 * comparison, ./branch-panel.tsx) and the branch on screen's review (./branch-review.tsx).
 * A module of its own, so the session page's first JavaScript need not hold them.
 */
export function BranchControls({
  sessionId,
  branchCount,
  loaded,
  leafId,
  growing,
  onOpen,
  onCompare,
}: {
  sessionId: string;
  branchCount: number;
  loaded: ReadonlyMap<string, StepNode>;
  leafId: string | null;
  /** a run is adding to the branch on screen (its review waits for the run's end) */
  growing: boolean;
  onOpen: (leafId: string) => void;
  onCompare: (leafA: string, leafB: string) => void;
}) {
  const canReview = useCan("reviews:write");
  return (
    <>
      <BranchPanel
        sessionId={sessionId}
        count={branchCount}
        loaded={loaded}
        leafId={leafId}
        onOpen={onOpen}
        onCompare={onCompare}
      />
      <BranchReview sessionId={sessionId} leafId={leafId} canReview={canReview} growing={growing} />
    </>
  );
}
