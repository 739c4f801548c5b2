import { parseJsonOr } from "@/lib/json";

/**
 * Model output as a page can show it. Steps keep exactly what the model sent (it is
 * replayed byte for byte), which may include NUL (U+0000) and lone surrogates: the first
 * is invisible or dropped by browsers, the second can't be encoded as UTF-8 at all (a
 * server-rendered page would disagree with the client's). Both become visible markers:
 * NUL → "␀" (U+2400, SYMBOL FOR NULL), a lone surrogate → "�" (U+FFFD, REPLACEMENT
 * CHARACTER). Well-formed text is returned as it is (same string).
 */

export const NUL_MARKER = "\u2400";
export const BROKEN_MARKER = "\uFFFD";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const UNSHOWABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with NUL shown as ␀ and each lone surrogate as �; other text unchanged. */
export function visibleText(text: string): string {
  return text.replace(UNSHOWABLE, (unit) => (unit === "\u0000" ? NUL_MARKER : BROKEN_MARKER));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const NEEDS_MARKER = /\u0000|[\uD800-\uDFFF]/;

/** Every string of a JSON value through `visibleText`; the same value when none changes. */
function visibleJson<T>(value: T): T {
  if (typeof value === "string") return (NEEDS_MARKER.test(value) ? visibleText(value) : value) as T;
  if (Array.isArray(value)) {
    const items = value.map(visibleJson);
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  if (value !== null && typeof value === "object") {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const shownKey = visibleJson(key);
      const shown = visibleJson(item);
      if (shownKey !== key || shown !== item) changed = true;
      out[shownKey] = shown;
    }
    return (changed ? out : value) as T;
  }
  return value;
}

/** A JSON text's escapes for NUL and surrogates, which become the real units once parsed. */
const ESCAPED_UNSHOWABLE = /\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;

/**
 * A tool call's JSON arguments as the page shows them: parsed, each string through
 * `visibleText`, serialized again, when they hold an escaped NUL or surrogate (the editor
 * and the file tree parse them into file names and contents). Other text, and arguments
 * that don't parse yet (still streaming), are returned as they are.
 */
export function visibleJsonText(text: string): string {
  if (!ESCAPED_UNSHOWABLE.test(text)) return text;
  const parsed = parseJsonOr(text, undefined); // no JSON text parses to undefined
  if (parsed === undefined) return text;
  const shown = visibleJson(parsed);
  return shown === parsed ? text : JSON.stringify(shown);
}

const shownSteps = new WeakMap<object, object>();

/**
 * A step as the page shows it: its content and every string of its provider data (tool
 * input, file names) through `visibleText`, and a tool call's JSON arguments through
 * `visibleJsonText`. The same object when nothing needs a marker, so
 * memoized rows don't re-render; remembered per step object, so a session's unchanged steps
 * are not scanned again on every streamed delta.
 */
export function visibleStep<T extends { kind: string; content: string; providerData: unknown }>(step: T): T {
  const known = shownSteps.get(step);
  if (known) return known as T;
  const content = visibleJson(step.kind === "tool_call" ? visibleJsonText(step.content) : step.content);
  let providerData = visibleJson(step.providerData);
  const toolInput = (providerData as { toolInput?: unknown } | null)?.toolInput;
  if (typeof toolInput === "string" && visibleJsonText(toolInput) !== toolInput) {
    providerData = { ...(providerData as object), toolInput: visibleJsonText(toolInput) };
  }
  const shown =
    content === step.content && providerData === step.providerData ? step : { ...step, content, providerData };
  shownSteps.set(step, shown);
  return shown;
}
