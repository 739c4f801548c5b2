import { z } from "zod";
import { MAX_TASK_LENGTH } from "@/lib/sessions/schema";
import type { StepKind } from "./types";

/** The bodies of the edit endpoints and their limits. */

export const MAX_EDIT_LENGTH = 200_000;

export const editStepBody = z.object({
  content: z
    .string("content must be text")
    .refine((text) => text.trim().length > 0, "The edit is empty: write the new text, or cancel.")
    .refine(
      (text) => text.length <= MAX_EDIT_LENGTH,
      `Keep an edit under ${MAX_EDIT_LENGTH.toLocaleString("en-US")} characters.`,
    ),
});

export const saveFileBody = z.object({
  afterStepId: z.string().trim().min(1, "afterStepId is required: the step the edit follows"),
  path: z.string().trim().min(1, "path is required, e.g. src/index.ts"),
  content: z.string("content must be text").max(MAX_EDIT_LENGTH, "The file is too large to save from the editor."),
});

export function editLimitFor(kind: StepKind): number {
  return kind === "task" ? MAX_TASK_LENGTH : MAX_EDIT_LENGTH;
}
