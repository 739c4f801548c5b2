/**
 * Text PostgreSQL can't store, stored anyway. A `text` or `jsonb` value can't hold NUL
 * (U+0000) and UTF-8 can't hold a lone surrogate (U+D800–U+DFFF without its partner), yet a
 * model may send either, and what is replayed to MiniMax must be byte for byte what it sent
 * (its signatures are over the exact text). So every text and JSON column that can hold
 * model output goes through these functions at the data layer's edge:
 *
 * - `encodeDbText` replaces each such UTF-16 code unit, and the escape character itself,
 *   with ESCAPE followed by the unit's 4 hex digits (uppercase). Everything else, including
 *   well-formed surrogate pairs (emoji), is left as it is, so ordinary text is stored
 *   unchanged and rows written before this existed read back as they were.
 * - `decodeDbText` turns each ESCAPE + 4 hex digits back into its code unit; an ESCAPE not
 *   followed by 4 hex digits is kept as it is.
 *
 * The escape works per code unit, so it survives concatenation:
 * `decodeDbText(encodeDbText(a) + encodeDbText(b)) === a + b`, even when `a` ends with the
 * high half of a surrogate pair and `b` starts with its low half. That is what lets a
 * streaming step's row grow by `content = content || $added` with only the added text.
 *
 * ESCAPE is U+FDD0, a Unicode noncharacter: reserved for a program's internal use and not
 * meant to appear in interchanged text (Unicode §23.7, "Noncharacters").
 *
 * U+FEFF (a byte-order mark, or zero-width no-break space) is escaped too: PostgreSQL stores
 * it, but the embedded database (PGlite) decodes what it reads with a TextDecoder that drops
 * one at the start of a value, so a file uploaded with a BOM came back without it.
 */

/** The escape character: U+FDD0, a noncharacter. */
export const DB_TEXT_ESCAPE = "\uFDD0";

/** NUL, any surrogate code unit, U+FEFF, or the escape character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const NEEDS_CHECK = /[\u0000\uD800-\uDFFF\uFDD0\uFEFF]/;
const ESCAPED = /\uFDD0([0-9A-F]{4})/g;

function escapeUnit(unit: number): string {
  return DB_TEXT_ESCAPE + unit.toString(16).toUpperCase().padStart(4, "0");
}

/** `text` as PostgreSQL can store it (see the module comment); identity on ordinary text. */
export function encodeDbText(text: string): string {
  if (!NEEDS_CHECK.test(text)) return text;
  let out = "";
  let plainFrom = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let needsEscape = unit === 0 || unit === 0xfdd0 || unit === 0xfeff;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a whole pair: stored as it is
        continue;
      }
      needsEscape = true;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      needsEscape = true; // a low half with no high half before it (a pair is skipped above)
    }
    if (needsEscape) {
      out += text.slice(plainFrom, i) + escapeUnit(unit);
      plainFrom = i + 1;
    }
  }
  return out + text.slice(plainFrom);
}

/** The text `encodeDbText` was given (for concatenations too, see the module comment). */
export function decodeDbText(stored: string): string {
  if (!stored.includes(DB_TEXT_ESCAPE)) return stored;
  return stored.replace(ESCAPED, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Maps every string of a JSON value, object keys included; other values are kept. */
function mapJsonStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapJsonStrings(item, map));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[map(key)] = mapJsonStrings(item, map);
    return out;
  }
  return value;
}

/** A JSON value (e.g. a step's provider data) with every string, keys too, as `encodeDbText` makes it. */
export function encodeDbJson<T>(value: T): T {
  return mapJsonStrings(value, encodeDbText) as T;
}

/** The JSON value `encodeDbJson` was given. */
export function decodeDbJson<T>(value: T): T {
  return mapJsonStrings(value, decodeDbText) as T;
}

/** `encodeDbText` for a nullable column. */
export function encodeDbTextOrNull(text: string | null): string | null {
  return text === null ? null : encodeDbText(text);
}

/** `decodeDbText` for a nullable column. */
export function decodeDbTextOrNull(text: string | null): string | null {
  return text === null ? null : decodeDbText(text);
}
