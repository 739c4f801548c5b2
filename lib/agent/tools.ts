/**
 * The agent's tools as the model sees them: their definitions, and each call's result worded
 * for the model. What a call does to the files is lib/steps/virtual-files.ts. Pure: a tool
 * returns a new file map and never throws; every failure is a message the model can act on.
 */
import { diffLines } from "diff";
import { RUN_TESTS_TOOL, RUN_TESTS_TOOL_NAME, type RunTestsToolDefinition } from "@/lib/sandbox/tool";
import { isToolName, runFileTool, TOOL_FIELDS, type ToolName, type VirtualFiles } from "@/lib/steps/virtual-files";

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
      required: [...TOOL_FIELDS.write_file],
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
      required: [...TOOL_FIELDS.edit_file],
      additionalProperties: false,
    },
  },
  {
    name: "read_file",
    description: "Return the current content of a file.",
    inputSchema: {
      type: "object",
      properties: { path: PATH_PROPERTY },
      required: [...TOOL_FIELDS.read_file],
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

/** Runs one tool call. `input` is the parsed arguments object, or the raw JSON arguments string. */
export function executeTool(files: VirtualFiles, name: string, input: unknown): ToolExecution {
  if (!isToolName(name)) {
    return { output: `Unknown tool "${name}". Available tools: ${AGENT_TOOL_NAMES.join(", ")}.`, isError: true, files };
  }
  const outcome = runFileTool(files, name, input);
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
