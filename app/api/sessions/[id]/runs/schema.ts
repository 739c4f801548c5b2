import { z } from "zod";
import { stepId } from "@/lib/http/input";

export const startRunBody = z.object({
  fromStepId: stepId("fromStepId").optional(),
});
