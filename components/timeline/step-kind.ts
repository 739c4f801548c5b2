import { EDITABLE_STEP_KINDS, type StepKind, type StepNode } from "@/lib/steps/types";

/** The dot on the timeline's rail: one calm colour per kind, violet reserved for thinking. */
export const KIND_DOT: Record<StepKind, string> = {
  task: "bg-zinc-900 dark:bg-zinc-100",
  thinking: "bg-violet-400 dark:bg-violet-500",
  text: "bg-emerald-500",
  tool_call: "bg-sky-500",
  tool_result: "bg-zinc-400 dark:bg-zinc-600",
  user_note: "bg-amber-500",
};

/** A step's name in the timeline; without its providerData (not loaded yet) a tool's name falls back to its kind. */
export function kindLabel(step: Pick<StepNode, "kind" | "providerData">): string {
  switch (step.kind) {
    case "task":
      return "Task";
    case "thinking":
      return "Thinking";
    case "text":
      return "Response";
    case "tool_call":
      return step.providerData?.toolName ?? "Tool call";
    case "tool_result":
      return step.providerData?.toolName === "run_tests" ? "Test results" : "Result";
    case "user_note":
      if (step.providerData?.toolName === "run_tests") return "Test run";
      return step.providerData?.toolName === "write_file" ? "File edit" : "Note";
  }
}

/** Kinds whose text a person can rewrite to steer the run from there. */
export function isEditable(step: StepNode): boolean {
  return EDITABLE_STEP_KINDS.has(step.kind) && step.status !== "streaming";
}

/** Only these kinds change files; deltas to any other step must not recompute the workspace. */
export function touchesFiles(step: Pick<StepNode, "kind">): boolean {
  return step.kind === "tool_call" || step.kind === "tool_result" || step.kind === "user_note";
}
