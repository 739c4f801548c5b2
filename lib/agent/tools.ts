/**
 * The agent's tools, run against a branch's virtual files (path → content). Pure: a tool
 * returns a new file map and never throws; every failure is a message the model can act on.
 */
import { diffLines } from "diff";
import { RUN_TESTS_TOOL, RUN_TESTS_TOOL_NAME, type RunTestsToolDefinition } from "@/lib/sandbox/tool";

export type VirtualFiles = ReadonlyMap<string, string>;

export const TOOL_NAMES = ["write_file", "edit_file", "read_file", "list_files"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** The tools whose calls change files; the workspace at a step is the fold of these. */
export const FILE_TOOL_NAMES: ReadonlySet<string> = new Set<ToolName>(["write_file", "edit_file"]);

interface StringProperty {
  type: "string";
  description: string;
}

export interface ToolDefinition {
  name: ToolName;
  description: string;
  inputSchema: {
    type: "object";
    properties: Record<string, StringProperty>;
    required: string[];
    additionalProperties: false;
  };
}

const PATH_PROPERTY: StringProperty = {
  type: "string",
  description: "File path relative to the project root, e.g. src/index.ts",
};

export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  {
    name: "write_file",
    description:
      "Create a file or replace its whole content. Parent folders need no creating. Prefer edit_file for small changes to an existing file.",
    inputSchema: {
      type: "object",
      properties: {
        path: PATH_PROPERTY,
        content: { type: "string", description: "The complete new content of the file" },
      },
      required: ["path", "content"],
      additionalProperties: false,
    },
  },
  {
    name: "edit_file",
    description:
      "Replace one exact occurrence of old_string with new_string in an existing file. old_string must match the file exactly (whitespace and indentation included) and occur exactly once; include surrounding lines to make it unique.",
    inputSchema: {
      type: "object",
      properties: {
        path: PATH_PROPERTY,
        old_string: { type: "string", description: "The exact text to replace; must occur exactly once in the file" },
        new_string: { type: "string", description: "The text to put in its place" },
      },
      required: ["path", "old_string", "new_string"],
      additionalProperties: false,
    },
  },
  {
    name: "read_file",
    description: "Return the current content of a file.",
    inputSchema: {
      type: "object",
      properties: { path: PATH_PROPERTY },
      required: ["path"],
      additionalProperties: false,
    },
  },
  {
    name: "list_files",
    description: "List every file in the project, one path per line.",
    inputSchema: { type: "object", properties: {}, required: [], additionalProperties: false },
  },
];

/**
 * Every tool declared to the model, on both routes: the file tools above, which `executeTool`
 * runs here, and `run_tests`, which the run loop runs in the sandbox (lib/sandbox) on the
 * branch's files at that point.
 */
export const AGENT_TOOL_DEFINITIONS: readonly (ToolDefinition | RunTestsToolDefinition)[] = [
  ...TOOL_DEFINITIONS,
  RUN_TESTS_TOOL,
];

/** The names the model may call, as listed to it when it calls an unknown one. */
const AGENT_TOOL_NAMES = AGENT_TOOL_DEFINITIONS.map((tool) => tool.name);

export { RUN_TESTS_TOOL_NAME };

export interface FileChange {
  path: string;
  added: number;
  removed: number;
}

export interface ToolExecution {
  output: string;
  isError: boolean;
  /** the files after the call; the same map when nothing changed */
  files: VirtualFiles;
  change?: FileChange;
}

type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

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
  const definition = TOOL_DEFINITIONS.find((d) => d.name === tool);
  const fields = definition ? definition.inputSchema.required.map((f) => `"${f}": string`) : [];
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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Above this many differing lines an exact diff costs more than it is worth; count whole files instead. */
const MAX_EDIT_LENGTH = 200;

/** Lines with their terminators, so that a lost final newline counts as a changed line (as in a diff). */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Lines added and removed between two versions, as `git diff --stat` would count them. */
export function lineDelta(before: string, after: string): { added: number; removed: number } {
  const a = splitLines(before);
  const b = splitLines(after);
  // Most changes are local: diff only what lies between the unchanged head and tail.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removedLines = a.slice(head, a.length - tail);
  const addedLines = b.slice(head, b.length - tail);
  if (removedLines.length === 0 || addedLines.length === 0) {
    return { added: addedLines.length, removed: removedLines.length };
  }

  const changes = diffLines(removedLines.join(""), addedLines.join(""), { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) return { added: addedLines.length, removed: removedLines.length };
  let added = 0;
  let removed = 0;
  for (const change of changes) {
    if (change.added) added += change.count;
    else if (change.removed) removed += change.count;
  }
  return { added, removed };
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** What a call did, before it is worded for the model. */
type Outcome =
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

function runTool(files: VirtualFiles, name: string, input: unknown): Outcome {
  if (!(TOOL_NAMES as readonly string[]).includes(name)) {
    return failed(`Unknown tool "${name}". Available tools: ${AGENT_TOOL_NAMES.join(", ")}.`);
  }
  const parsed = parseInput(input);
  if (!parsed.ok) return failed(parsed.error);
  switch (name as ToolName) {
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

/** Runs one tool call. `input` is the parsed arguments object, or the raw JSON arguments string. */
export function executeTool(files: VirtualFiles, name: string, input: unknown): ToolExecution {
  const outcome = runTool(files, name, input);
  if (outcome.kind === "failed") return { output: outcome.error, isError: true, files };
  if (outcome.kind === "read") return { output: outcome.output, isError: false, files };
  const { path, after } = outcome;
  const delta = lineDelta(files.get(path) ?? "", after);
  const output =
    outcome.tool === "write_file"
      ? `Wrote ${path} (${plural(splitLines(after).length, "line")})`
      : `Edited ${path} (+${delta.added} -${delta.removed} lines)`;
  return { output, isError: false, files: new Map(files).set(path, after), change: { path, ...delta } };
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
  const outcome = runTool(files, name, input);
  if (outcome.kind !== "wrote") return { files };
  return { files: new Map(files).set(outcome.path, outcome.after), written: outcome.path };
}
