/**
 * How many models Compare runs one task on, shared by the server's schema (schema.ts) and
 * the browser's checklist. No zod here: building a zod object schema probes
 * `Function("")`, which the page's Content-Security-Policy reports as a blocked eval.
 */
export const MIN_COMPARED = 2;
export const MAX_COMPARED = 4;
