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

const shownSteps = new WeakMap<object, object>();

/**
 * A step as the page shows it: its content and every string of its provider data (tool
 * input, file names) through `visibleText`. The same object when nothing needs a marker, so
 * memoized rows don't re-render; remembered per step object, so a session's unchanged steps
 * are not scanned again on every streamed delta.
 */
export function visibleStep<T extends { content: string; providerData: unknown }>(step: T): T {
  const known = shownSteps.get(step);
  if (known) return known as T;
  const content = visibleJson(step.content);
  const providerData = visibleJson(step.providerData);
  const shown =
    content === step.content && providerData === step.providerData ? step : { ...step, content, providerData };
  shownSteps.set(step, shown);
  return shown;
}
