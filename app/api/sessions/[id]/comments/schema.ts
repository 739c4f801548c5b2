import { z } from "zod";
import { MAX_COMMENT_LENGTH } from "@/lib/comments/limits";
import { idField, stepId } from "@/lib/http/input";
import type { CreateCommentBody, UpdateCommentBody } from "@/lib/wire/comments";

const commentText = z
  .string("body must be the comment's text")
  .trim()
  .min(1, "A comment can't be empty.")
  .max(MAX_COMMENT_LENGTH, `A comment is at most ${MAX_COMMENT_LENGTH} characters.`);

const anchor = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("text"),
      start: z.int("start must be a whole number"),
      end: z.int("end must be a whole number"),
    }),
    z.object({
      kind: z.literal("file"),
      path: z.string("path must be the file's path").min(1).max(1024),
      startLine: z.int("startLine must be a whole number"),
      endLine: z.int("endLine must be a whole number"),
    }),
  ],
  'anchor.kind must be "text" or "file"',
);

export const createCommentBody = z.object({
  stepId: stepId("stepId"),
  body: commentText,
  parentId: idField("parentId", { what: "a comment id" }).optional(),
  anchor: anchor.optional(),
}) satisfies z.ZodType<CreateCommentBody>;

export const updateCommentBody = z
  .object({ body: commentText.optional(), resolved: z.boolean("resolved must be true or false").optional() })
  .refine(
    (body) => body.body !== undefined || body.resolved !== undefined,
    "Send body, resolved, or both.",
  ) satisfies z.ZodType<UpdateCommentBody>;
