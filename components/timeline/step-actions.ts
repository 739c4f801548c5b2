import { createContext } from "react";
import type { StepNode } from "@/lib/steps/types";
import type { DecideApprovalBody } from "@/lib/wire/approvals";

/**
 * What a timeline row can ask of the session. One stable object for every row, so a
 * streaming delta never hands the other rows a new prop.
 */
export interface StepActions {
  select(stepId: string): void;
  switchSibling(stepId: string, direction: -1 | 1): void;
  regenerate(stepId: string): void;
  /** creates the edited step beside the original and shows its branch; throws ApiError */
  saveEdit(step: StepNode, content: string, options: { regenerate: boolean }): Promise<void>;
  stopRun(): void;
  /** the plan gate: approve (with the reviewer's file, when edited) or reject a paused file write; throws ApiError */
  decide(stepId: string, body: DecideApprovalBody): Promise<void>;
  /** selects a paused file write and opens its proposed change for editing in the Diff tab */
  reviewInEditor(stepId: string): void;
}

/**
 * Whether a run is in progress anywhere in the session (regenerating must wait). A context,
 * not a row prop: a run starting or ending re-renders each row's small toolbar, not every row.
 */
export const RunActiveContext = createContext(false);
