/**
 * Session limits shared by the server's schemas (schema.ts) and the browser's forms. No
 * zod here: building a zod object schema probes `Function("")`, which the page's
 * Content-Security-Policy reports as a blocked eval.
 */

/** The longest task, in UTF-16 code units (JavaScript string length). */
export const MAX_TASK_LENGTH = 20_000;
/** Model turns a run may take when the session doesn't say. */
export const DEFAULT_MAX_TURNS = 25;
