import { z } from "zod";
import { MAX_EDIT_LENGTH } from "@/lib/sessions/edits";
import type { DecideApprovalBody } from "@/lib/wire/approvals";

const MAX_COMMENT_LENGTH = 20_000;

const comment = z
  .string("comment must be text")
  .max(MAX_COMMENT_LENGTH, `Keep the comment under ${MAX_COMMENT_LENGTH.toLocaleString("en-US")} characters.`);

/** approve (optionally with the reviewer's version of the file), or reject with a comment. */
export const decideApprovalBody = z
  .object({
    decision: z.enum(["approve", "reject"], 'decision must be "approve" or "reject"'),
    content: z
      .string("content must be text: the whole file as it should be written")
      .max(MAX_EDIT_LENGTH, `Keep the file under ${MAX_EDIT_LENGTH.toLocaleString("en-US")} characters.`)
      .optional(),
    comment: comment.optional(),
  })
  .refine((body) => body.decision === "approve" || (body.comment ?? "").trim().length > 0, {
    message: "Say why you reject the change: the model reads your comment and plans again.",
    path: ["comment"],
  })
  .refine((body) => body.decision === "approve" || body.content === undefined, {
    message: "content goes with approve (edit then approve); a rejection writes nothing.",
    path: ["content"],
  }) satisfies z.ZodType<DecideApprovalBody>;
