import { z } from "zod";

export const MAX_TASK_LENGTH = 20_000;
export const DEFAULT_MAX_TURNS = 25;

export const taskText = z
  .string("must be text: describe the coding task")
  .trim()
  .min(1, "Describe the task: it can't be empty.")
  .max(MAX_TASK_LENGTH, `The task is too long: keep it under ${MAX_TASK_LENGTH.toLocaleString("en-US")} characters.`);

export const sessionSettings = z.object({
  maxTurns: z
    .number()
    .int()
    .min(1, "max turns must be at least 1")
    .max(100, "max turns can be at most 100")
    .default(DEFAULT_MAX_TURNS),
});
export type SessionSettings = z.infer<typeof sessionSettings>;

export const createSessionBody = z.object({
  task: taskText,
  modelId: z.string().trim().min(1).optional(),
  maxTurns: sessionSettings.shape.maxTurns.optional(),
});

export const updateSessionBody = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, "The title can't be empty.")
      .max(200, "Keep the title under 200 characters.")
      .optional(),
    maxTurns: sessionSettings.shape.maxTurns.optional(),
    activeLeafId: z.string().min(1).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "Nothing to update: send a title, maxTurns or activeLeafId.");

/** The first line of the task, shortened: a title a person recognises in the list. */
export function titleFromTask(task: string): string {
  const firstLine = task.trim().split("\n")[0]?.trim() ?? "";
  return firstLine.length > 80 ? `${firstLine.slice(0, 77).trimEnd()}…` : firstLine || "Untitled task";
}

export function readSettings(value: unknown): SessionSettings {
  const parsed = sessionSettings.safeParse(value ?? {});
  return parsed.success ? parsed.data : { maxTurns: DEFAULT_MAX_TURNS };
}
