"use client";

import type { Ref } from "react";
import { type StepIndex, siblingsOf } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { StepActions } from "./step-actions";
import { StepRow } from "./step-row";

/**
 * The steps of a path as rows, numbered from 1. `index` answers where each step sits among
 * its siblings and which step an edit replaced.
 */
export function StepList({
  steps,
  index,
  selectedId,
  actions,
  ref,
}: {
  steps: readonly StepNode[];
  index: StepIndex;
  selectedId: string | null;
  actions: StepActions;
  ref?: Ref<HTMLOListElement>;
}) {
  return (
    <ol ref={ref} className="py-2">
      {steps.map((step, i) => {
        const { siblings, position } = siblingsOf(index, step.id);
        return (
          <StepRow
            key={step.id}
            step={step}
            number={i + 1}
            original={step.editedFromId ? index.byId.get(step.editedFromId) : undefined}
            siblingPosition={position}
            siblingCount={siblings.length}
            selected={step.id === selectedId}
            actions={actions}
          />
        );
      })}
    </ol>
  );
}
