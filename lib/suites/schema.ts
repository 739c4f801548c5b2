import { z } from "zod";
import { taskText } from "@/lib/sessions/schema";
import { normalizeProjectPath } from "@/lib/steps/virtual-files";
import type { StartSuiteRunBody } from "@/lib/wire/suites";
import { MAX_IMPORTED_TASKS } from "./jsonl";

/** Default sessions at once for a suite run; the request can ask for 1–8. */
export const DEFAULT_SUITE_CONCURRENCY = 2;

/**
 * A task's files or hidden tests: project paths (canonical once parsed) → text. A path that
 * leaves the project is refused here, as an upload's is: the task's files become a
 * session's starting files, which its download zips under their names.
 */
const fileMap = z
  .record(z.string().trim().min(1).max(500), z.string().max(200_000))
  .superRefine((files, context) => {
    for (const raw of Object.keys(files)) {
      const path = normalizeProjectPath(raw);
      if (!path.ok) context.addIssue({ code: "custom", message: path.error, path: [raw] });
    }
  })
  .transform((files) =>
    Object.fromEntries(
      Object.entries(files).map(([raw, text]) => {
        const path = normalizeProjectPath(raw);
        return [path.ok ? path.value : raw, text];
      }),
    ),
  );

const suiteTask = z.object({
  id: z.string().trim().min(1, "a task needs an id").max(200),
  title: z.string().trim().max(200).optional(),
  language: z.enum(["python", "typescript"], "language must be python or typescript"),
  prompt: taskText,
  files: fileMap.optional(),
  tests: fileMap.refine((tests) => Object.keys(tests).length > 0, "a task needs at least one hidden test file"),
});

const suiteName = z.string().trim().min(1, "name the suite").max(200);

/** The most JSONL a suite run imports, in characters (docs/api.md: 20 MB). */
export const MAX_SUITE_JSONL_CHARS = 20 * 1024 * 1024;

/**
 * The largest POST /api/suite-runs body, in bytes: the JSONL inside a JSON string, where
 * every quote and backslash gains an escape, so up to twice its size, and the rest.
 */
export const MAX_SUITE_BODY_BYTES = 2 * MAX_SUITE_JSONL_CHARS + 1024 * 1024;

/** POST /api/suite-runs: which suite (built in, JSONL in HumanEval's or MBPP's layout, or tasks), which models. */
export const startSuiteRunBody = z.object({
  suite: z.union(
    [
      z.literal("builtin"),
      z.object({
        name: suiteName,
        jsonl: z.string().min(1, "the JSONL is empty").max(MAX_SUITE_JSONL_CHARS, "the JSONL is larger than 20 MB"),
        format: z.enum(["humaneval", "mbpp"]).optional(),
      }),
      z.object({
        name: suiteName,
        tasks: z
          .array(suiteTask)
          .min(1)
          .max(MAX_IMPORTED_TASKS)
          .superRefine((tasks, context) => {
            const seen = new Set<string>();
            for (const [i, task] of tasks.entries()) {
              if (seen.has(task.id)) {
                context.addIssue({ code: "custom", message: `task id ${task.id} appears twice`, path: [i, "id"] });
              }
              seen.add(task.id);
            }
          }),
      }),
    ],
    { error: 'suite must be "builtin", { name, jsonl, format? } or { name, tasks }' },
  ),
  modelIds: z
    .array(z.string().trim().min(1), { error: "modelIds must be a list of 1 to 4 model ids" })
    .min(1, "pick at least one model")
    .max(4, "at most 4 models at once")
    .refine((ids) => new Set(ids).size === ids.length, "a model is listed twice"),
  concurrency: z.number().int().min(1).max(8, "concurrency can be at most 8").default(DEFAULT_SUITE_CONCURRENCY),
  // an empty list is a mistake (a CI filter that matched nothing), not "every task": that ran the whole suite
  taskIds: z
    .array(z.string().trim().min(1))
    .min(1, "taskIds is empty: list the tasks to run, or leave taskIds out to run every task")
    .max(MAX_IMPORTED_TASKS)
    .optional(),
}) satisfies z.ZodType<StartSuiteRunBody>;
