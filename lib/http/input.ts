import { z } from "zod";
import type { ErrorCode } from "@/lib/wire/errors";
import { AppError } from "./errors";

/**
 * Checks on what people (and scripts) send: text PostgreSQL can store, ids that can be
 * ids, and a short, safe quote of bad input for error messages. Pure functions, shared by
 * the route helper (lib/http/route.ts), the proxy (proxy.ts) and the pages.
 */

/** The longest id accepted anywhere (ours are 25-character cuids; uuids are 36). */
export const MAX_ID_LENGTH = 64;

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Whether `value` can be one of our ids (letters, digits, `_`, `-`, at most MAX_ID_LENGTH characters). */
export function isPlausibleId(value: string): boolean {
  return value.length > 0 && value.length <= MAX_ID_LENGTH && ID_PATTERN.test(value);
}

/**
 * Why PostgreSQL can't store this text, or null when it can: a text column rejects
 * U+0000, and a lone UTF-16 surrogate has no UTF-8 encoding at all.
 */
export function unstorableTextReason(value: string): string | null {
  if (value.includes("\u0000")) return "contains a NUL character (U+0000)";
  if (!value.isWellFormed()) return "contains a lone surrogate (half of a UTF-16 character pair)";
  return null;
}

/**
 * The deepest nesting of arrays and objects a JSON body may have. Far above any body or
 * export the app makes (a session export with a tool call's arguments is about 10 levels),
 * far below what the walks over parsed JSON can recurse (findUnstorableText, the data
 * layer's text codec, JSON.stringify: a 10 KB body of 5,000 `[` overflowed the stack, a 500).
 */
export const MAX_JSON_DEPTH = 200;

/**
 * Whether JSON text nests arrays and objects deeper than `max`, read before parsing: one
 * pass over the characters, brackets inside strings not counted. Pure; says nothing about
 * whether the text is valid JSON.
 */
export function jsonNestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}

/** A field name shown as is in a message; any other key is quoted (shortened, escaped). */
const FIELD_NAME = /^[A-Za-z0-9_]{1,40}$/;

/** The first string (object keys included) in parsed JSON that can't be stored, with its dotted path. */
export function findUnstorableText(value: unknown, path: string[] = []): { path: string; reason: string } | null {
  if (typeof value === "string") {
    const reason = unstorableTextReason(value);
    return reason ? { path: path.join("."), reason } : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const label = FIELD_NAME.test(key) ? key : quote(key);
      const keyReason = unstorableTextReason(key);
      if (keyReason) return { path: [...path, label].join("."), reason: `has a field name that ${keyReason}` };
      const found = findUnstorableText(item, [...path, label]);
      if (found) return found;
    }
  }
  return null;
}

/** How much of a bad value an error message quotes. */
export const QUOTE_LENGTH = 40;

/**
 * A short, printable quote of untrusted input for an error message: JSON-escaped (so
 * control characters and lone surrogates show as escapes), cut to `max` characters of the
 * input with "…" when longer. A 1 MB value never travels back whole.
 */
export function quote(value: string, max = QUOTE_LENGTH): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  const escaped = JSON.stringify(cut).replace(/[\u007f-\u009f\u2028\u2029]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return value.length > max ? `${escaped.slice(0, -1)}…"` : escaped;
}

/** Whether every `%` escape in a URL path decodes (to valid UTF-8); Next.js answers a plain-text 500 otherwise. */
export function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * The same path with each segment that does not decode escaped once more (`%ZZ` →
 * `%25ZZ`), so it reaches the app as the literal text the person typed.
 */
export function escapeUndecodableSegments(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => (isDecodablePath(segment) ? segment : encodeURIComponent(segment)))
    .join("/");
}

/**
 * An id in a request body (a step's, a comment's, a workspace's): text, not empty, at
 * most MAX_ID_LENGTH characters (else 400 `bad_request:validation`), and one that
 * `isPlausibleId` accepts — else 400 `code` (`bad_request:id`, as for an id in the
 * address) naming the field, and nothing is looked up: no row has such an id, so it is
 * the request's fault, not a 404. An id of the right shape that names nothing is a 404
 * from the handler. (`parseWith` in lib/http/route.ts answers the refinement's code.)
 */
export function idField(
  field: string,
  {
    what = "an id",
    empty = `${field} can't be empty`,
    malformed = `${field} is not ${what}: ids are letters, digits, "-" and "_".`,
    code = "bad_request:id",
  }: { what?: string; empty?: string; malformed?: string; code?: ErrorCode } = {},
) {
  return z
    .string(`${field} must be ${what}`)
    .trim()
    .min(1, empty)
    .max(MAX_ID_LENGTH, `${field} is not ${what}: it's too long.`)
    .refine(isPlausibleId, { message: malformed, params: { code } });
}

/** A step id in a request body: `idField`, named as a step's. */
export function stepId(field: string, emptyMessage?: string) {
  return idField(field, { what: "a step id", ...(emptyMessage === undefined ? {} : { empty: emptyMessage }) });
}

/**
 * A query parameter holding an id (`?step=`): null when absent or blank, else the id, or
 * 400 `code` (`bad_request:id`) when it can't be one, as `idField` for a body's.
 */
export function queryId(request: Request, name: string, code: ErrorCode = "bad_request:id"): string | null {
  const value = new URL(request.url).searchParams.get(name)?.trim();
  if (!value) return null;
  if (!isPlausibleId(value)) {
    throw new AppError(code, `\`${name}\` must be an id: letters, digits, "-" and "_", at most ${MAX_ID_LENGTH}.`);
  }
  return value;
}
