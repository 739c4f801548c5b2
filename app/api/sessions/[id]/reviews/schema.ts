import { z } from "zod";
import { stepId } from "@/lib/http/input";
import { type CreateReviewBody, MAX_SUMMARY_LENGTH, REVIEW_VERDICTS } from "@/lib/wire/reviews";

export const createReviewBody = z
  .object({
    leafId: stepId("leafId"),
    verdict: z.enum(REVIEW_VERDICTS, "verdict must be requested, approved or changes_requested"),
    summary: z
      .string("summary must be text")
      .trim()
      .max(
        MAX_SUMMARY_LENGTH,
        `The summary is too long: keep it under ${MAX_SUMMARY_LENGTH.toLocaleString("en-US")} characters.`,
      )
      .optional(),
  })
  .refine((body) => body.verdict !== "changes_requested" || (body.summary ?? "").length > 0, {
    message: "Say what should change: a request for changes needs a summary.",
    path: ["summary"],
  }) satisfies z.ZodType<CreateReviewBody>;
