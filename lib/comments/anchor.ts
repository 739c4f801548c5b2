import { parseJsonObject } from "@/lib/json";
import type { StepNode } from "@/lib/steps/types";
import { FILE_TOOL_NAMES, normalizeProjectPath } from "@/lib/steps/virtual-files";
import type { CommentAnchor, CreateCommentBody } from "@/lib/wire/comments";

/**
 * Anchoring a comment to part of a step (issue 12 item 1). Pure, shared by the server
 * (which checks an anchor against the step before storing it) and the browser (which
 * turns a selection into one, and draws file anchors in Monaco).
 */

/** The longest quote a text anchor keeps. */
export const MAX_QUOTE_LENGTH = 2_000;
/** The highest line number a file anchor may name. */
export const MAX_ANCHOR_LINE = 1_000_000;

/**
 * The project path a step wrote: a write_file/edit_file tool call of the model, or a file
 * a person saved in the editor; null for any other step or an unreadable input.
 */
export function fileWrittenBy(step: Pick<StepNode, "kind" | "providerData">): string | null {
  const data = step.providerData;
  if (!data?.toolName || data.toolInput === undefined || !FILE_TOOL_NAMES.has(data.toolName)) return null;
  if (step.kind !== "tool_call" && !(step.kind === "user_note" && data.toolName === "write_file")) return null;
  const path = parseJsonObject(data.toolInput)?.path;
  if (typeof path !== "string") return null;
  const normalized = normalizeProjectPath(path);
  return normalized.ok ? normalized.value : null;
}

/** Whether offset `at` of `text` falls between the two halves of a surrogate pair (an emoji's UTF-16 code units). */
function splitsPair(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/**
 * How many lines `text` has in the editor: one more than its line breaks (`\r\n`, `\r` or
 * `\n`), so an empty file has 1 and a file ending in a line break has an empty last line.
 */
export function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/**
 * The anchor a request asks for, checked against its step: a text range must lie inside
 * the step's text (and is stored with the text it covers); a file anchor needs a step
 * that wrote that file, and lines 1 ≤ start ≤ end ≤ the file's last line when `file`, the
 * file as the step left it, is known (`lineCount`; null: unknown, only MAX_ANCHOR_LINE
 * applies). Answers the anchor to store, or why not (a sentence for the person).
 */
export function checkAnchor(
  step: Pick<StepNode, "kind" | "content" | "providerData">,
  asked: NonNullable<CreateCommentBody["anchor"]>,
  file: string | null = null,
): { ok: true; anchor: CommentAnchor } | { ok: false; error: string } {
  if (asked.kind === "text") {
    const { start, end } = asked;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
      return { ok: false, error: "A text anchor needs whole numbers 0 ≤ start < end." };
    }
    if (end > step.content.length) {
      return {
        ok: false,
        error: `The step's text is ${step.content.length} characters long; the anchor ends at ${end}.`,
      };
    }
    if (end - start > MAX_QUOTE_LENGTH) {
      return { ok: false, error: `A text anchor covers at most ${MAX_QUOTE_LENGTH} characters.` };
    }
    if (splitsPair(step.content, start) || splitsPair(step.content, end)) {
      return { ok: false, error: "A text anchor can't start or end inside a character (half of an emoji)." };
    }
    return { ok: true, anchor: { kind: "text", start, end, quote: step.content.slice(start, end) } };
  }
  const written = fileWrittenBy(step);
  if (written === null) return { ok: false, error: "Only a step that wrote a file can have a comment on its lines." };
  const path = normalizeProjectPath(asked.path);
  if (!path.ok || path.value !== written) {
    return { ok: false, error: `This step wrote ${written}; a line comment on it must name that file.` };
  }
  const { startLine, endLine } = asked;
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
    return { ok: false, error: "A line anchor needs whole numbers 1 ≤ startLine ≤ endLine." };
  }
  if (endLine > MAX_ANCHOR_LINE) return { ok: false, error: `Lines go up to ${MAX_ANCHOR_LINE}.` };
  const lines = file === null ? null : lineCount(file);
  if (lines !== null && endLine > lines) {
    return {
      ok: false,
      error: `${written} has ${lines} ${lines === 1 ? "line" : "lines"} as this step left it; the comment ends at line ${endLine}.`,
    };
  }
  return { ok: true, anchor: { kind: "file", path: written, startLine, endLine } };
}

/**
 * Where a piece of text a person selected on the page lies in a step's text: the rendered
 * step (markdown) may differ from its source in spacing, so the selection is matched
 * exactly first, then with any run of whitespace standing for any other. Null when it is
 * not there (e.g. it spans markdown markup), or is empty.
 */
export function locateQuote(content: string, selected: string): { start: number; end: number } | null {
  const wanted = selected.trim();
  if (wanted === "") return null;
  const exact = content.indexOf(wanted);
  if (exact >= 0) return { start: exact, end: exact + wanted.length };
  const pattern = wanted
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("\\s+");
  const match = new RegExp(pattern).exec(content);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}

/** The file comments to mark in an editor showing `path`: their anchors' line ranges, per thread. */
export function fileMarkers<T extends { anchor: CommentAnchor | null; parentId: string | null }>(
  comments: readonly T[],
  path: string,
): Array<T & { anchor: Extract<CommentAnchor, { kind: "file" }> }> {
  return comments.filter(
    (comment): comment is T & { anchor: Extract<CommentAnchor, { kind: "file" }> } =>
      comment.parentId === null && comment.anchor?.kind === "file" && comment.anchor.path === path,
  );
}
