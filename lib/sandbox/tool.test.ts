import { describe, expect, test } from "vitest";
import { TOOL_DEFINITIONS } from "../agent/tools";
import { parseRunTestsInput, RUN_TESTS_TOOL } from "./tool";

describe("run_tests tool", () => {
  test("is declared like the file tools: name, description, closed JSON Schema object", () => {
    const fileTool = TOOL_DEFINITIONS[0];
    expect(Object.keys(RUN_TESTS_TOOL).sort()).toEqual(Object.keys(fileTool ?? {}).sort());
    expect(RUN_TESTS_TOOL.name).toBe("run_tests");
    expect(RUN_TESTS_TOOL.inputSchema).toMatchObject({ type: "object", required: [], additionalProperties: false });
    expect(RUN_TESTS_TOOL.inputSchema.properties.paths.items).toEqual({ type: "string" });
  });

  test("accepts nothing, an empty object, or paths, as an object or JSON text", () => {
    expect(parseRunTestsInput(undefined)).toEqual({ ok: true, value: {} });
    expect(parseRunTestsInput("")).toEqual({ ok: true, value: {} });
    expect(parseRunTestsInput("{}")).toEqual({ ok: true, value: {} });
    expect(parseRunTestsInput({ paths: [] })).toEqual({ ok: true, value: {} });
    expect(parseRunTestsInput('{"paths":["test_a.py"]}')).toEqual({ ok: true, value: { paths: ["test_a.py"] } });
  });

  test("bad input is a sentence the model can act on", () => {
    expect(parseRunTestsInput("{paths")).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parseRunTestsInput([1])).toMatchObject({ ok: false, error: expect.stringMatching(/must be a JSON object/) });
    expect(parseRunTestsInput({ paths: "test_a.py" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/array of file paths/),
    });
    expect(parseRunTestsInput({ paths: [1] })).toMatchObject({ ok: false });
  });
});
