import { z } from "zod";
import { stepId } from "@/lib/http/input";
import type { StartRunBody } from "@/lib/wire/sessions";

export const startRunBody = z.object({
  fromStepId: stepId("fromStepId").optional(),
}) satisfies z.ZodType<StartRunBody>;
