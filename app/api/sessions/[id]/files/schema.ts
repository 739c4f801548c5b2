import { z } from "zod";
import { stepId } from "@/lib/http/input";
import { MAX_EDIT_LENGTH } from "@/lib/sessions/edits";
import type { SaveFileBody } from "@/lib/wire/sessions";

export const saveFileBody = z.object({
  afterStepId: stepId("afterStepId", "afterStepId is required: the step the edit follows"),
  path: z.string().trim().min(1, "path is required, e.g. src/index.ts"),
  content: z.string("content must be text").max(MAX_EDIT_LENGTH, "The file is too large to save from the editor."),
}) satisfies z.ZodType<SaveFileBody>;
