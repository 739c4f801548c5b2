import { z } from "zod";
import { sessionSettings, taskText } from "@/lib/sessions/schema";
import type { CreateComparisonBody } from "@/lib/wire/compare";
import { MAX_COMPARED, MIN_COMPARED } from "./limits";

export { MAX_COMPARED, MIN_COMPARED };

/** POST /api/comparisons: `{ task, modelIds: 2–4 distinct ids, maxTurns? }`. */
export const createComparisonBody = z.object({
  task: taskText,
  modelIds: z
    .array(z.string().trim().min(1), "modelIds must be a list of model ids")
    .min(MIN_COMPARED, `Pick at least ${MIN_COMPARED} models to compare.`)
    .max(MAX_COMPARED, `Pick at most ${MAX_COMPARED} models to compare.`)
    .refine((ids) => new Set(ids).size === ids.length, "Pick each model once."),
  maxTurns: sessionSettings.shape.maxTurns.optional(),
}) satisfies z.ZodType<CreateComparisonBody>;
