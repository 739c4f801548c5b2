import { z } from "zod";
import { idField } from "@/lib/http/input";
import { type CreateReviewBody, MAX_SUMMARY_LENGTH, REVIEW_VERDICTS } from "@/lib/wire/reviews";

export const createReviewBody = z
  .object({
    // 400 bad_request:leaf, as GET's ?leaf= (docs/api.md)
    leafId: idField("leafId", {
      what: "a step id",
      malformed: "`leafId` must be the id of a step of this session.",
      code: "bad_request:leaf",
    }),
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
