/**
 * Text that may or may not be JSON — a model's tool arguments (cut short while streaming,
 * or simply broken), a message off the wire, a request body — parsed in one place.
 * Pure; used by the server, the emulator and the browser alike.
 */

/** `text` parsed, or `fallback` when it is not valid JSON. */
export function parseJsonOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** `text` parsed as a JSON object (not an array, a scalar or null), or undefined. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const value = parseJsonOr(text, undefined);
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Whether `text` is valid JSON. */
export function isJson(text: string): boolean {
  const notJson = Symbol();
  return parseJsonOr(text, notJson) !== notJson;
}
