/**
 * What applying one of the project's Next.js patches to a file's text found: `patched` with the
 * text to write; `already` (applied before); `unknown` (the code the patch replaces is not
 * there exactly once: Next.js changed it, so the patch needs looking at again).
 */
export type NextPatch = { outcome: "patched"; text: string } | { outcome: "already" } | { outcome: "unknown" };

/** Replaces `original` by `patched` in `source`, once; see NextPatch for the outcomes. */
export function replaceOnce(source: string, original: string, patched: string): NextPatch {
  if (source.includes(patched)) return { outcome: "already" };
  if (source.split(original).length !== 2) return { outcome: "unknown" };
  return { outcome: "patched", text: source.replace(original, patched) };
}
