import { z } from "zod";

export const startRunBody = z.object({
  fromStepId: z.string().trim().min(1, "fromStepId can't be empty").optional(),
});
