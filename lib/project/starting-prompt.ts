/**
 * How the model first hears of a project's starting files (docs/starting-files.md). To keep
 * requests small for large projects, the task message carries the file LIST (path and
 * size, up to LISTED_PATHS paths) and, in full, the small files that fit INLINE_TOTAL_BYTES;
 * the model reads anything else with read_file. Pure: the same files always give the same
 * text, so a replayed or imported session sends the same request.
 */
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import { utf8Length } from "./intake";

/** Paths listed by name; past this the model is told to call list_files. */
export const LISTED_PATHS = 400;
/** A file is shown in full only if it is at most this many UTF-8 bytes… */
export const INLINE_FILE_BYTES = 4 * 1024;
/** …and all files shown in full together stay within this. */
export const INLINE_TOTAL_BYTES = 32 * 1024;

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

/** A code fence longer than any backtick run in the content, so the content can't close it. */
function fenceFor(content: string): string {
  const longestRun = (content.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 2);
  return "`".repeat(longestRun + 1);
}

/** The part of the task message that describes the starting files; "" when there are none. */
export function startingFilesText(files: VirtualFiles): string {
  if (files.size === 0) return "";
  const paths = [...files.keys()].sort();
  const sizes = new Map(paths.map((path) => [path, utf8Length(files.get(path) ?? "")]));
  const total = [...sizes.values()].reduce((sum, bytes) => sum + bytes, 0);
  const lines = [
    `The project already has ${paths.length} file${paths.length === 1 ? "" : "s"} (${size(total)}). Read a file with read_file before you change it; list_files lists them all.`,
    "",
    "Files:",
    ...paths.slice(0, LISTED_PATHS).map((path) => `- ${path} (${size(sizes.get(path) ?? 0)})`),
  ];
  if (paths.length > LISTED_PATHS) lines.push(`- … and ${paths.length - LISTED_PATHS} more (call list_files)`);

  let budget = INLINE_TOTAL_BYTES;
  const inline: string[] = [];
  for (const path of paths) {
    const bytes = sizes.get(path) ?? 0;
    if (bytes > INLINE_FILE_BYTES || bytes > budget) continue;
    budget -= bytes;
    const content = files.get(path) ?? "";
    const fence = fenceFor(content);
    const body = content === "" || content.endsWith("\n") ? content : `${content}\n`;
    inline.push(`${fence} ${path}\n${body}${fence}`);
  }
  if (inline.length > 0) {
    const rest = inline.length < paths.length ? " (read the others with read_file)" : "";
    lines.push("", `Small files, in full${rest}:`, "", inline.join("\n\n"));
  }
  return lines.join("\n");
}
