import { indexSteps, leavesOf } from "./tree";
import type { StepKind, StepNode, StepOrigin } from "./types";

/** A branch as a person picks it from a list: where it ends, who made it, when. */
export interface BranchSummary {
  leafId: string;
  length: number;
  lastStep: { id: string; kind: StepKind; origin: StepOrigin; status: StepNode["status"]; snippet: string };
  /** who made the branch: the origin of its newest human step, else "model" */
  madeBy: StepOrigin;
  updatedAt: string;
}

export function describeBranches(steps: readonly StepNode[]): BranchSummary[] {
  const index = indexSteps(steps);
  return leavesOf(index).map(({ leaf, pathLength }) => {
    let madeBy: StepOrigin = "model";
    for (
      let step: StepNode | undefined = leaf;
      step;
      step = step.parentId ? index.byId.get(step.parentId) : undefined
    ) {
      if (step.origin !== "model" && step.parentId !== null) {
        madeBy = step.origin;
        break;
      }
    }
    return {
      leafId: leaf.id,
      length: pathLength,
      lastStep: {
        id: leaf.id,
        kind: leaf.kind,
        origin: leaf.origin,
        status: leaf.status,
        snippet: leaf.content.replace(/\s+/g, " ").trim().slice(0, 140),
      },
      madeBy,
      updatedAt: leaf.finishedAt ?? leaf.createdAt,
    };
  });
}
