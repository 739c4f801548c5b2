import { z } from "zod";
import { stepId } from "@/lib/http/input";
import type { CreateSessionBody, SessionSettings, UpdateSessionBody } from "@/lib/wire/sessions";

import { DEFAULT_MAX_TURNS, MAX_TASK_LENGTH } from "./limits";

export { DEFAULT_MAX_TURNS, MAX_TASK_LENGTH };

export const taskText = z
  .string("must be text: describe the coding task")
  .trim()
  .min(1, "Describe the task: it can't be empty.")
  .max(MAX_TASK_LENGTH, `The task is too long: keep it under ${MAX_TASK_LENGTH.toLocaleString("en-US")} characters.`);

/**
 * Max turns as sent: no default here, because an update schema that fills a default
 * would overwrite the stored value with it whenever the field is left out.
 */
const maxTurns = z
  .number("max turns must be a whole number")
  .int("max turns must be a whole number")
  .min(1, "max turns must be at least 1")
  .max(100, "max turns can be at most 100");

/**
 * Whether a run cut off by its server stopping (a crash, kill -9, a restart) starts again
 * on its own from the branch's last complete step, instead of waiting for Retry.
 */
const resumeInterrupted = z.boolean("resumeInterrupted must be true or false");

/** The plan gate: each write_file/edit_file call pauses the run until a reviewer decides (lib/review). */
const askBeforeApplying = z.boolean("askBeforeApplying must be true or false");

/** Settings as stored: a missing maxTurns reads as the default; resumeInterrupted is absent until set (off). */
export const sessionSettings = z.object({
  maxTurns: maxTurns.default(DEFAULT_MAX_TURNS),
  resumeInterrupted: resumeInterrupted.optional(),
  askBeforeApplying: askBeforeApplying.optional(),
}) satisfies z.ZodType<SessionSettings>;

export const createSessionBody = z.object({
  task: taskText,
  modelId: z
    .string("modelId must be text")
    .trim()
    .min(1, "modelId can't be empty")
    .max(200, "modelId is too long: pick one from the model list.")
    .optional(),
  maxTurns: maxTurns.optional(),
}) satisfies z.ZodType<CreateSessionBody>;

/**
 * PATCH /api/sessions/:id: only the fields sent change. Nothing here has a default (a
 * test checks untouched fields keep their values), and a body with none of the fields is
 * a 400.
 */
export const updateSessionBody = z
  .object({
    title: z
      .string("The title must be text.")
      .trim()
      .min(1, "The title can't be empty.")
      .max(200, "Keep the title under 200 characters.")
      .optional(),
    maxTurns: maxTurns.optional(),
    resumeInterrupted: resumeInterrupted.optional(),
    askBeforeApplying: askBeforeApplying.optional(),
    activeLeafId: stepId("activeLeafId").optional(),
  })
  .refine(
    (body) => Object.values(body).some((value) => value !== undefined),
    "Nothing to update: send a title, maxTurns, resumeInterrupted, askBeforeApplying or activeLeafId.",
  ) satisfies z.ZodType<UpdateSessionBody>;

/** The settings after a PATCH: the stored ones with the fields sent; undefined when none was sent. */
export function patchSettings(
  current: SessionSettings,
  body: Pick<z.infer<typeof updateSessionBody>, "maxTurns" | "resumeInterrupted" | "askBeforeApplying">,
): SessionSettings | undefined {
  const { maxTurns, resumeInterrupted, askBeforeApplying } = body;
  if (maxTurns === undefined && resumeInterrupted === undefined && askBeforeApplying === undefined) return undefined;
  return {
    ...current,
    ...(maxTurns === undefined ? {} : { maxTurns }),
    ...(resumeInterrupted === undefined ? {} : { resumeInterrupted }),
    ...(askBeforeApplying === undefined ? {} : { askBeforeApplying }),
  };
}

/** The first line of the task, shortened: a title a person recognises in the list. */
export function titleFromTask(task: string): string {
  const firstLine = task.trim().split("\n")[0]?.trim() ?? "";
  return firstLine.length > 80 ? `${firstLine.slice(0, 77).trimEnd()}…` : firstLine || "Untitled task";
}

export function readSettings(value: unknown): SessionSettings {
  const parsed = sessionSettings.safeParse(value ?? {});
  return parsed.success ? parsed.data : { maxTurns: DEFAULT_MAX_TURNS };
}
