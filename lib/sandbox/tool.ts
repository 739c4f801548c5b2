/**
 * The `run_tests` tool as the model sees it, in the shape of lib/agent/tools.ts's
 * TOOL_DEFINITIONS (name, description, JSON Schema input), and the check of its input.
 * The run loop declares it beside the file tools and passes the branch's files to
 * `runTests`; the result the model reads is `formatTestReport(report)`.
 */

export const RUN_TESTS_TOOL_NAME = "run_tests";

export interface RunTestsToolDefinition {
  name: typeof RUN_TESTS_TOOL_NAME;
  description: string;
  inputSchema: {
    type: "object";
    properties: {
      paths: { type: "array"; items: { type: "string" }; description: string };
    };
    required: [];
    additionalProperties: false;
  };
}

export const RUN_TESTS_TOOL: RunTestsToolDefinition = {
  name: RUN_TESTS_TOOL_NAME,
  description: [
    "Run the project's tests in a sandbox and get per-test pass/fail with failure messages, stdout/stderr and timing.",
    "Python: pytest-style test_*.py / *_test.py files (test_ functions, Test classes, bare assert, pytest.raises, pytest.mark.parametrize, fixtures, unittest.TestCase); standard library only.",
    "JavaScript/TypeScript: *.test.ts / *.spec.ts / *.test.js files using describe/it/test/expect imported from vitest or @jest/globals (or as globals); no npm packages, only the project's files.",
    "No network, no files outside the project, limited time, memory and output.",
  ].join(" "),
  inputSchema: {
    type: "object",
    properties: {
      paths: {
        type: "array",
        items: { type: "string" },
        description: "Test files to run, relative to the project root; omit to run every test file",
      },
    },
    required: [],
    additionalProperties: false,
  },
};

export type RunTestsToolInput = { paths?: string[] };

/**
 * The tool call's arguments (an object or its JSON text) as `{ paths? }`, or a sentence
 * the model can act on. An empty object runs every test file.
 */
export function parseRunTestsInput(
  input: unknown,
): { ok: true; value: RunTestsToolInput } | { ok: false; error: string } {
  let value = input;
  if (typeof input === "string") {
    if (input.trim() === "") return { ok: true, value: {} };
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, error: 'the tool input is not valid JSON; send {} or {"paths": ["test_x.py"]}' };
    }
  }
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: 'the tool input must be a JSON object such as {} or {"paths": ["test_x.py"]}' };
  }
  const paths = (value as Record<string, unknown>).paths;
  if (paths === undefined) return { ok: true, value: {} };
  if (!Array.isArray(paths) || paths.some((path) => typeof path !== "string")) {
    return { ok: false, error: '"paths" must be an array of file paths, e.g. ["tests/test_math.py"]' };
  }
  return { ok: true, value: paths.length > 0 ? { paths: paths as string[] } : {} };
}
