/** Reading loosely typed JSON from the wire without trusting its shape. */

export type JsonRecord = Record<string, unknown>;

/** The value as an object, or an empty one. */
export function record(value: unknown): JsonRecord {
  return typeof value === "object" && value !== null ? (value as JsonRecord) : {};
}

export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

export function stringOrEmpty(value: unknown): string {
  return typeof value === "string" ? value : "";
}
