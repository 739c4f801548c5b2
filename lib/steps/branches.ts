import { indexSteps, leavesOf } from "./tree";
import type { StepKind, StepNode, StepOrigin } from "./types";

/** A branch as a person picks it from a list: where it ends, who made it, when. */
export interface BranchSummary {
  leafId: string;
  length: number;
  lastStep: { id: string; kind: StepKind; origin: StepOrigin; status: StepNode["status"]; snippet: string };
  /** who made the branch: the origin of its newest human step (an edited task counts, the original doesn't), else "model" */
  madeBy: StepOrigin;
  /** that human step's author, by name (StepNode.authorName); null: the model's, or nobody to name */
  madeByName: string | null;
  updatedAt: string;
}

/**
 * Who made a branch, in words for the branch list: "by the model", "edited by Ada",
 * "changed by nightly-ci (bot)"; "a person" stands in where nobody is named (the local
 * single-user instance, steps from before accounts).
 */
export function madeByLabel({ madeBy, madeByName }: Pick<BranchSummary, "madeBy" | "madeByName">): string {
  if (madeBy === "model") return "by the model";
  return `${madeBy === "human_edit" ? "edited" : "changed"} by ${madeByName ?? "a person"}`;
}

/** Every branch (leaf) of a step tree, summarised for the branch list. */
export function describeBranches(steps: readonly StepNode[]): BranchSummary[] {
  const index = indexSteps(steps);
  return leavesOf(index).map(({ leaf, pathLength }) => {
    let madeBy: StepOrigin = "model";
    let madeByName: string | null = null;
    for (
      let step: StepNode | undefined = leaf;
      step;
      step = step.parentId ? index.byId.get(step.parentId) : undefined
    ) {
      // the task everyone starts from made no branch; an edit of it did
      if (step.origin === "human_edit" || (step.origin !== "model" && step.parentId !== null)) {
        madeBy = step.origin;
        madeByName = step.authorName ?? null;
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
      madeByName,
      updatedAt: leaf.finishedAt ?? leaf.createdAt,
    };
  });
}
