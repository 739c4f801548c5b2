import { z } from "zod";
import { MAX_EDIT_LENGTH } from "@/lib/sessions/edits";
import type { EditStepBody } from "@/lib/wire/sessions";

export const editStepBody = z.object({
  content: z
    .string("content must be text")
    .refine((text) => text.trim().length > 0, "The edit is empty: write the new text, or cancel.")
    .refine(
      (text) => text.length <= MAX_EDIT_LENGTH,
      `Keep an edit under ${MAX_EDIT_LENGTH.toLocaleString("en-US")} characters.`,
    ),
}) satisfies z.ZodType<EditStepBody>;
