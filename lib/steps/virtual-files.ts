/**
 * What the file tools mean, whoever applies them: the project as virtual files (path →
 * content), canonical project paths, and the effect of a write_file/edit_file/read_file/
 * list_files call on the files. Pure and safe in the browser: the workspace at a step is
 * the replay of these calls along the path (files.ts). The model-facing definitions and
 * wording of results live in lib/agent/tools.ts.
 */

/** A project's files: path (canonical, see `normalizeProjectPath`) → content. */
export type VirtualFiles = ReadonlyMap<string, string>;

export const TOOL_NAMES = ["write_file", "edit_file", "read_file", "list_files"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** The tools whose calls change files; the workspace at a step is the fold of these. */
export const FILE_TOOL_NAMES: ReadonlySet<string> = new Set<ToolName>(["write_file", "edit_file"]);

/** Each tool's input fields, all strings and all required (the model's tool schemas list the same). */
export const TOOL_FIELDS: Readonly<Record<ToolName, readonly string[]>> = {
  write_file: ["path", "content"],
  edit_file: ["path", "old_string", "new_string"],
  read_file: ["path"],
  list_files: [],
};

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * A project-relative path in canonical form (`./src//a.ts` → `src/a.ts`, `a\b` → `a/b`),
 * or why it is refused: the files are a sandbox, nothing outside the project root.
 */
export function normalizeProjectPath(raw: string): Checked<string> {
  const path = raw.trim().replaceAll("\\", "/");
  if (path === "") {
    return { ok: false, error: "path is empty; give a file path relative to the project root, e.g. src/index.ts" };
  }
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    return {
      ok: false,
      error: `${raw} is an absolute path; give a path relative to the project root, e.g. src/index.ts`,
    };
  }
  if (path.endsWith("/")) return { ok: false, error: `${raw} names a folder; give a file path` };
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") segments.push(segment);
    else if (segments.pop() === undefined) {
      return { ok: false, error: `${raw} points outside the project; paths must stay inside the project root` };
    }
  }
  if (segments.length === 0) return { ok: false, error: `${raw} names the project root; give a file path` };
  return { ok: true, value: segments.join("/") };
}

function parseInput(input: unknown): Checked<Record<string, unknown>> {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, error: "the tool input is not valid JSON; send the arguments as a JSON object" };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "the tool input must be a JSON object" };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** e.g. `write_file takes {"path": string, "content": string}`, to show a model what a valid call looks like */
function callShape(tool: ToolName): string {
  const fields = TOOL_FIELDS[tool].map((field) => `"${field}": string`);
  return `${tool} takes {${fields.join(", ")}}`;
}

function stringField(input: Record<string, unknown>, tool: ToolName, field: string): Checked<string> {
  const value = input[field];
  if (typeof value === "string") return { ok: true, value };
  const problem =
    value === undefined ? "is missing" : `must be a string, not ${Array.isArray(value) ? "an array" : typeof value}`;
  return { ok: false, error: `"${field}" ${problem}; ${callShape(tool)}` };
}

function pathField(input: Record<string, unknown>, tool: ToolName): Checked<string> {
  const raw = stringField(input, tool, "path");
  return raw.ok ? normalizeProjectPath(raw.value) : raw;
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** What a call did, before it is worded for the model. */
export type Outcome =
  | { kind: "failed"; error: string }
  | { kind: "read"; output: string }
  | { kind: "wrote"; tool: "write_file" | "edit_file"; path: string; after: string };

const failed = (error: string): Outcome => ({ kind: "failed", error });

function writeFile(input: Record<string, unknown>): Outcome {
  const path = pathField(input, "write_file");
  if (!path.ok) return failed(path.error);
  const content = stringField(input, "write_file", "content");
  if (!content.ok) return failed(content.error);
  return { kind: "wrote", tool: "write_file", path: path.value, after: content.value };
}

const missingFile = (path: string) =>
  failed(`${path} does not exist. Use list_files to see the project's files, or write_file to create it.`);

function editFile(files: VirtualFiles, input: Record<string, unknown>): Outcome {
  const path = pathField(input, "edit_file");
  if (!path.ok) return failed(path.error);
  const oldString = stringField(input, "edit_file", "old_string");
  if (!oldString.ok) return failed(oldString.error);
  const newString = stringField(input, "edit_file", "new_string");
  if (!newString.ok) return failed(newString.error);
  const before = files.get(path.value);
  if (before === undefined) return missingFile(path.value);
  if (oldString.value === "") return failed("old_string is empty; to replace the whole file use write_file");
  if (oldString.value === newString.value) return failed("old_string and new_string are identical; nothing to change");

  const occurrences = countOccurrences(before, oldString.value);
  if (occurrences === 0) {
    return failed(
      `old_string was not found in ${path.value}; it must match exactly, including whitespace and indentation. Use read_file to see the current content.`,
    );
  }
  if (occurrences > 1) {
    return failed(
      `old_string occurs ${occurrences} times in ${path.value}; include more surrounding lines to make it unique`,
    );
  }
  // Slicing, not String.replace: `$&` and friends in new_string must stay literal.
  const at = before.indexOf(oldString.value);
  const after = before.slice(0, at) + newString.value + before.slice(at + oldString.value.length);
  return { kind: "wrote", tool: "edit_file", path: path.value, after };
}

function readFile(files: VirtualFiles, input: Record<string, unknown>): Outcome {
  const path = pathField(input, "read_file");
  if (!path.ok) return failed(path.error);
  const content = files.get(path.value);
  if (content === undefined) return missingFile(path.value);
  // Some APIs reject an empty tool result; say so in words.
  return { kind: "read", output: content === "" ? `(${path.value} is empty)` : content };
}

function listFiles(files: VirtualFiles): Outcome {
  const paths = [...files.keys()].sort();
  return { kind: "read", output: paths.length === 0 ? "(no files yet)" : paths.join("\n") };
}

/** Whether `name` is one of the file tools. */
export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}

/**
 * What one call does to the files, before it is worded for the model: a failure the model
 * can act on, what it read, or the file it wrote and its content after. `input` is the
 * parsed arguments object or the raw JSON arguments string.
 */
export function runFileTool(files: VirtualFiles, name: ToolName, input: unknown): Outcome {
  const parsed = parseInput(input);
  if (!parsed.ok) return failed(parsed.error);
  switch (name) {
    case "write_file":
      return writeFile(parsed.value);
    case "edit_file":
      return editFile(files, parsed.value);
    case "read_file":
      return readFile(files, parsed.value);
    case "list_files":
      return listFiles(files);
  }
}

/**
 * The same call reduced to its effect on the files — no wording, no line counts — for
 * replaying a path's writes cheaply. `written` is the path it wrote, if it did.
 */
export function applyTool(
  files: VirtualFiles,
  name: string,
  input: unknown,
): { files: VirtualFiles; written?: string } {
  if (!isToolName(name)) return { files };
  const outcome = runFileTool(files, name, input);
  if (outcome.kind !== "wrote") return { files };
  return { files: new Map(files).set(outcome.path, outcome.after), written: outcome.path };
}
