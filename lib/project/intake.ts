/**
 * Starting files in: uploaded files (a folder's files carry their relative paths), pasted
 * snippets and .zip archives become one project — path → UTF-8 text. Pure; every refusal
 * is an AppError with a message a person can act on (docs/starting-files.md):
 * - a path that is absolute or climbs out of the project → 400 `bad_request:path`;
 * - more than `maxFiles` files or `maxBytes` bytes of text → 413 `payload_too_large:project`;
 *   a zip may also inflate to at most twice the text left plus 1 MiB (binaries included),
 *   checked while it inflates, so a zip bomb stops after at most one chunk's expansion past it;
 * - a zip that cannot be read → 400 `bad_request:zip`.
 * Binary files, symbolic links inside a zip, and anything under `.git/`, `node_modules/` or
 * `__MACOSX/`, are skipped with a note instead.
 */
import { Unzip, UnzipInflate, UnzipPassThrough } from "fflate";
import { AppError, isAppError } from "@/lib/http/errors";
import { quote, unstorableTextReason } from "@/lib/http/input";
import { normalizeProjectPath } from "@/lib/steps/virtual-files";
import type { SkippedFile } from "@/lib/wire/sessions";
import { zipSymlinkNames } from "./zip-links";

/** How much a project may hold (from PROJECT_MAX_BYTES / PROJECT_MAX_FILES). */
export interface ProjectLimits {
  /** UTF-8 bytes of all kept files together */
  maxBytes: number;
  maxFiles: number;
}

/** The project as it is being gathered: kept files (path → text) and the ones skipped. */
export interface ProjectIntake {
  files: Map<string, string>;
  skipped: SkippedFile[];
  bytes: number;
  limits: ProjectLimits;
}

/** An empty project to gather files into, under `limits`. */
export function newIntake(limits: ProjectLimits): ProjectIntake {
  return { files: new Map(), skipped: [], bytes: 0, limits };
}

/** Folders that are never part of what a person means by "my code" (the CLI skips the same: cli/interleave.mjs). */
export const IGNORED_FOLDERS: ReadonlySet<string> = new Set([".git", "node_modules", "__MACOSX"]);
/** Files of the same kind: a desktop's folder metadata. */
export const IGNORED_FILES: ReadonlySet<string> = new Set([".DS_Store", "Thumbs.db"]);

/** Keeps a UTF-8 byte-order mark: see decodeText. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The text of a file, or null when it is binary: a NUL byte (git looks at the first 8,000
 * bytes; any NUL counts here, because PostgreSQL's text can't hold one) or not UTF-8.
 * A byte-order mark stays, as U+FEFF at the start: it is part of the file on the person's
 * disk, so the patch's first lines, the download and the CLI's --apply must keep it.
 */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * A path from an upload or an archive in canonical form, or a 400 naming it. `..` that
 * stays inside the project (`a/../b`) is resolved; one that leaves it is refused.
 */
function intakePath(raw: string): string {
  const unstorable = unstorableTextReason(raw);
  if (unstorable) {
    throw new AppError("bad_request:path", `Can't add ${quote(raw)}: the path ${unstorable}. Nothing was imported.`);
  }
  const normalized = normalizeProjectPath(raw);
  if (!normalized.ok) {
    // "<raw> points outside…" → "it points outside…": the path is quoted already; only that
    // leading mention is replaced (an empty path, or "/", would be found all through the sentence)
    const reason =
      raw !== "" && normalized.error.startsWith(raw) ? `it${normalized.error.slice(raw.length)}` : normalized.error;
    throw new AppError("bad_request:path", `Can't add ${quote(raw)}: ${reason}. Nothing was imported.`);
  }
  return normalized.value;
}

function ignoredReason(path: string): string | null {
  const segments = path.split("/");
  const folder = segments.slice(0, -1).find((segment) => IGNORED_FOLDERS.has(segment));
  if (folder) return `inside ${folder}/, which is not part of the project's code`;
  if (IGNORED_FILES.has(segments[segments.length - 1] ?? "")) return "operating-system metadata";
  return null;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

function tooManyBytes(limits: ProjectLimits): AppError {
  return new AppError(
    "payload_too_large:project",
    `The project is larger than ${mb(limits.maxBytes)} of text, the most a session can start with. Leave out generated or vendored files. Nothing was imported.`,
    { maxBytes: limits.maxBytes },
  );
}

function tooManyFiles(limits: ProjectLimits): AppError {
  return new AppError(
    "payload_too_large:project",
    `The project has more than ${limits.maxFiles.toLocaleString("en-US")} files, the most a session can start with. Nothing was imported.`,
    { maxFiles: limits.maxFiles },
  );
}

function inflatesTooFar(budget: number): AppError {
  return new AppError(
    "payload_too_large:project",
    `The .zip unpacks to more than ${mb(budget)}, text and binary files together. Leave out generated, vendored or binary files. Nothing was imported.`,
    { maxExpandedBytes: budget },
  );
}

/** Throws the 413 if `extra` more bytes would not fit. */
function reserveBytes(intake: ProjectIntake, extra: number): void {
  if (intake.bytes + extra > intake.limits.maxBytes) throw tooManyBytes(intake.limits);
}

/**
 * Adds one file. A later file with the same path replaces the earlier one (a pasted
 * snippet can override an uploaded file). Returns the canonical path.
 */
export function addFile(intake: ProjectIntake, rawPath: string, bytes: Uint8Array): string {
  const path = intakePath(rawPath);
  const ignored = ignoredReason(path);
  if (ignored) {
    intake.skipped.push({ path, reason: ignored });
    return path;
  }
  const text = decodeText(bytes);
  if (text === null) {
    intake.skipped.push({ path, reason: "binary file (only text files are sent to the model)" });
    return path;
  }
  const previous = intake.files.get(path);
  const size = bytes.length;
  const previousSize = previous === undefined ? 0 : utf8Length(previous);
  reserveBytes(intake, size - previousSize);
  if (previous === undefined && intake.files.size >= intake.limits.maxFiles) throw tooManyFiles(intake.limits);
  intake.files.set(path, text);
  intake.bytes += size - previousSize;
  return path;
}

/** Adds a pasted snippet under the name a person gave it. */
export function addText(intake: ProjectIntake, rawPath: string, text: string): string {
  return addFile(intake, rawPath, new TextEncoder().encode(text));
}

/** Bytes of `text` in UTF-8: what the limits count. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Compressed bytes given to the inflater at once: bounds what one step can expand to (~1000×). */
const ZIP_CHUNK_BYTES = 16 * 1024;

interface Entry {
  name: string;
  chunks: Uint8Array[];
  size: number;
  /** why the entry is left out uninflated, when it is */
  ignored?: string;
}

/** Why a symbolic link in a zip is skipped: its content is only the path it points to. */
const SYMLINK_REASON = "symbolic link (only regular files are imported)";

/**
 * The files of a .zip, checked against the limits while they inflate: the declared size of
 * each entry first, then the bytes actually produced, so a lying header doesn't help.
 * Folder entries are dropped, symbolic links are skipped with a note (not inflated, not
 * counted), and one folder wrapping everything (`project-main/…`, as GitHub's archives
 * have) is removed from the paths.
 */
export function addZip(intake: ProjectIntake, zip: Uint8Array): void {
  const links = zipSymlinkNames(zip);
  const entries: Entry[] = [];
  let expanded = 0;
  let counted = 0;
  let failure: unknown = null;
  // Binary entries are only known (and skipped) once inflated, so the zip may inflate to
  // twice the text left plus 1 MiB — the same allowance as an uploaded folder's body
  // (form.ts) — while the text kept is still held to the limit by addFile.
  const budget = 2 * (intake.limits.maxBytes - intake.bytes) + 1024 * 1024;
  const unzip = new Unzip((file) => {
    if (failure || file.name.endsWith("/")) return;
    // Left-out folders (a zipped checkout's node_modules/) and links are noted, never inflated or counted.
    const ignored = ignoredReason(file.name) ?? (links.has(file.name) ? SYMLINK_REASON : null);
    if (ignored) {
      entries.push({ name: entryName(file.name), chunks: [], size: 0, ignored });
      return;
    }
    if (++counted > intake.limits.maxFiles) {
      failure = tooManyFiles(intake.limits);
      return;
    }
    if (file.originalSize !== undefined && expanded + file.originalSize > budget) {
      failure = inflatesTooFar(budget);
      return;
    }
    const entry: Entry = { name: entryName(file.name), chunks: [], size: 0 };
    entries.push(entry);
    file.ondata = (error, data) => {
      if (failure) return;
      if (error) {
        failure = error;
        return;
      }
      expanded += data.length;
      entry.size += data.length;
      if (expanded > budget) {
        failure = inflatesTooFar(budget);
        file.terminate();
        return;
      }
      entry.chunks.push(data);
    };
    try {
      file.start();
    } catch (error) {
      failure = error;
    }
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b) throw new Error("not a zip");
    for (let at = 0; at < zip.length && !failure; at += ZIP_CHUNK_BYTES) {
      const end = Math.min(zip.length, at + ZIP_CHUNK_BYTES);
      unzip.push(zip.subarray(at, end), end === zip.length);
    }
  } catch (error) {
    failure ??= error;
  }
  if (isAppError(failure)) throw failure;
  if (failure) {
    throw new AppError(
      "bad_request:zip",
      "That .zip could not be read: it is damaged, encrypted, or uses a compression other than deflate. Nothing was imported.",
    );
  }
  // Traversal is refused before the wrapping folder is taken off, so `../x` can't hide as `x`.
  const paths = entries.map((entry) => intakePath(entry.name));
  const strip = commonRootFolder(paths);
  entries.forEach((entry, i) => {
    const path = (paths[i] as string).slice(strip.length);
    if (entry.ignored) intake.skipped.push({ path, reason: entry.ignored });
    else addFile(intake, path, concat(entry.chunks, entry.size));
  });
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * An entry's name as its archiver meant it. fflate reads a name without the UTF-8 flag
 * (bit 11) as Latin-1, one character a byte, but Info-ZIP's zip on Linux and macOS's Archive
 * Utility write UTF-8 names without setting it: `dïr/ünï.py` came out as `dÃ¯r/Ã¼nÃ¯.py`,
 * and the session's patch then named files the person doesn't have. Such a name's bytes
 * are read again as UTF-8 when they are valid UTF-8 (bytes from an 8-bit code page rarely
 * are); otherwise, and for a name read as UTF-8 already (a character above U+00FF), it stays.
 */
export function entryName(name: string): string {
  const codes = Array.from(name, (char) => char.charCodeAt(0));
  if (!codes.some((code) => code > 0x7f) || codes.some((code) => code > 0xff)) return name;
  const bytes = Uint8Array.from(codes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return name;
  }
}

/** `root/` when every name lies inside that one folder, else "". */
export function commonRootFolder(names: readonly string[]): string {
  const first = names[0];
  if (first === undefined) return "";
  const slash = first.indexOf("/");
  if (slash <= 0) return "";
  const root = first.slice(0, slash + 1);
  return names.every((name) => name.startsWith(root) && name.length > root.length) ? root : "";
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** True for a file that should be read as a .zip archive rather than as a text file. */
export function isZipName(name: string): boolean {
  return name.toLowerCase().endsWith(".zip");
}
