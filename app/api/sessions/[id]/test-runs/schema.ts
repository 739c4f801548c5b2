import { z } from "zod";
import { stepId } from "@/lib/http/input";
import type { TestRunBody } from "@/lib/wire/sessions";

export const testRunBody = z.object({
  afterStepId: stepId("afterStepId", "afterStepId is required: the step whose files are tested"),
  paths: z
    .array(z.string().trim().min(1, "a test file path is empty").max(500, "a test file path is too long"), {
      error: 'paths must be a list of test file paths, e.g. ["test_roman.py"]',
    })
    .max(100, "at most 100 test files per run")
    .optional(),
}) satisfies z.ZodType<TestRunBody>;
