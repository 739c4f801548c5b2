import { describe, expect, it } from "vitest";
import { normalizeProjectPath, TOOL_NAMES, type VirtualFiles } from "@/lib/steps/virtual-files";
import { executeTool, lineDelta, TOOL_DEFINITIONS } from "./tools";

const files = (entries: Record<string, string>): VirtualFiles => new Map(Object.entries(entries));

describe("TOOL_DEFINITIONS", () => {
  it("defines every tool with an object schema whose required fields are declared", () => {
    expect(TOOL_DEFINITIONS.map((d) => d.name)).toEqual([...TOOL_NAMES]);
    for (const definition of TOOL_DEFINITIONS) {
      expect(definition.description.length).toBeGreaterThan(10);
      expect(definition.inputSchema.type).toBe("object");
      for (const field of definition.inputSchema.required)
        expect(definition.inputSchema.properties).toHaveProperty(field);
    }
  });
});

describe("normalizeProjectPath", () => {
  it.each([
    ["./a/b.ts", "a/b.ts"],
    ["src//a.ts", "src/a.ts"],
    ["src\\lib\\a.ts", "src/lib/a.ts"],
    ["a/../b.ts", "b.ts"],
    ["  src/a.ts ", "src/a.ts"],
  ])("%s → %s", (raw, expected) => {
    expect(normalizeProjectPath(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["/etc/passwd", /absolute/],
    ["\\\\server\\share", /absolute/],
    ["C:\\x.ts", /absolute/],
    ["../secret", /outside the project/],
    ["a/../../b", /outside the project/],
    ["src/", /folder/],
    [".", /project root/],
  ])("refuses %j", (raw, message) => {
    const result = normalizeProjectPath(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe("write_file", () => {
  it("creates a file and reports its size and line delta", () => {
    const before = files({});
    const result = executeTool(before, "write_file", { path: "./src/a.ts", content: "one\ntwo\nthree\n" });
    expect(result).toMatchObject({ output: "Wrote src/a.ts (3 lines)", isError: false });
    expect(result.change).toEqual({ path: "src/a.ts", added: 3, removed: 0 });
    expect(result.files.get("src/a.ts")).toBe("one\ntwo\nthree\n");
    expect(before.size).toBe(0); // inputs are never mutated
  });

  it("replaces a file, counting changed lines", () => {
    const result = executeTool(files({ "a.ts": "one\ntwo\nthree\n" }), "write_file", {
      path: "a.ts",
      content: "one\n2\nthree\nfour\n",
    });
    expect(result.change).toEqual({ path: "a.ts", added: 2, removed: 1 });
  });

  it("accepts the raw JSON arguments string and writes empty files", () => {
    const result = executeTool(files({}), "write_file", '{"path":"empty.txt","content":""}');
    expect(result).toMatchObject({ output: "Wrote empty.txt (0 lines)", isError: false });
    expect(result.files.get("empty.txt")).toBe("");
  });

  it("says what is wrong with invalid input", () => {
    const original = files({});
    for (const [input, message] of [
      [{ content: "x" }, /"path" is missing; write_file takes \{"path": string, "content": string\}/],
      [{ path: "a.ts" }, /"content" is missing/],
      [{ path: "a.ts", content: 42 }, /"content" must be a string, not number/],
      [{ path: ["a"], content: "" }, /"path" must be a string, not an array/],
      [{ path: "../a.ts", content: "" }, /outside the project/],
      ["{not json", /not valid JSON/],
      [null, /must be a JSON object/],
      [[1, 2], /must be a JSON object/],
    ] as const) {
      const result = executeTool(original, "write_file", input);
      expect(result.isError).toBe(true);
      expect(result.output).toMatch(message);
      expect(result.files).toBe(original);
      expect(result.change).toBeUndefined();
    }
  });
});

describe("edit_file", () => {
  const source = files({ "src/a.ts": "const a = 1;\nconst b = 1;\nexport { a, b };\n" });

  it("replaces the one occurrence", () => {
    const result = executeTool(source, "edit_file", {
      path: "src/a.ts",
      old_string: "const b = 1;",
      new_string: "const b = 2;\nconst c = 3;",
    });
    expect(result).toMatchObject({ output: "Edited src/a.ts (+2 -1 lines)", isError: false });
    expect(result.files.get("src/a.ts")).toBe("const a = 1;\nconst b = 2;\nconst c = 3;\nexport { a, b };\n");
    expect(result.change).toEqual({ path: "src/a.ts", added: 2, removed: 1 });
    expect(source.get("src/a.ts")).toBe("const a = 1;\nconst b = 1;\nexport { a, b };\n");
  });

  it("keeps replacement patterns like $& literal", () => {
    const result = executeTool(source, "edit_file", {
      path: "src/a.ts",
      old_string: "const a = 1;",
      new_string: "const a = '$&$1';",
    });
    expect(result.files.get("src/a.ts")).toMatch(/^const a = '\$&\$1';\n/);
  });

  it("refuses an ambiguous old_string and says how often it occurs", () => {
    const result = executeTool(files({ "src/a.ts": "x\nx\nx\n" }), "edit_file", {
      path: "src/a.ts",
      old_string: "x",
      new_string: "y",
    });
    expect(result).toMatchObject({
      isError: true,
      output: "old_string occurs 3 times in src/a.ts; include more surrounding lines to make it unique",
    });
  });

  it("refuses an absent old_string, a missing file, an empty or no-op edit", () => {
    const cases = [
      [{ path: "src/a.ts", old_string: "const z", new_string: "" }, /not found in src\/a.ts.*read_file/],
      [{ path: "src/missing.ts", old_string: "a", new_string: "b" }, /src\/missing.ts does not exist.*write_file/],
      [{ path: "src/a.ts", old_string: "", new_string: "b" }, /old_string is empty/],
      [{ path: "src/a.ts", old_string: "a", new_string: "a" }, /identical/],
      [
        { path: "src/a.ts", old_string: "a" },
        /"new_string" is missing; edit_file takes \{"path": string, "old_string": string, "new_string": string\}/,
      ],
    ] as const;
    for (const [input, message] of cases) {
      const result = executeTool(source, "edit_file", input);
      expect(result.isError).toBe(true);
      expect(result.output).toMatch(message);
      expect(result.files).toBe(source);
    }
  });
});

describe("read_file and list_files", () => {
  const project = files({ "src/b.ts": "b", "README.md": "# hi\n", "src/a.ts": "", "lib/x.ts": "x" });

  it("reads plain content, and says when a file is empty or missing", () => {
    expect(executeTool(project, "read_file", { path: "./README.md" })).toEqual({
      output: "# hi\n",
      isError: false,
      files: project,
    });
    expect(executeTool(project, "read_file", { path: "src/a.ts" }).output).toBe("(src/a.ts is empty)");
    expect(executeTool(project, "read_file", { path: "nope.ts" })).toMatchObject({
      isError: true,
      output: expect.stringMatching(/nope.ts does not exist/),
    });
  });

  it("lists paths sorted, one per line", () => {
    expect(executeTool(project, "list_files", {}).output).toBe("README.md\nlib/x.ts\nsrc/a.ts\nsrc/b.ts");
    expect(executeTool(files({}), "list_files", {}).output).toBe("(no files yet)");
    expect(executeTool(project, "list_files", "{}").isError).toBe(false);
  });
});

describe("unknown tools", () => {
  it("names the available ones", () => {
    const result = executeTool(files({}), "run_shell", { command: "ls" });
    expect(result).toMatchObject({
      isError: true,
      output: 'Unknown tool "run_shell". Available tools: write_file, edit_file, read_file, list_files, run_tests.',
    });
  });
});

describe("lineDelta", () => {
  it("counts like a line diff, and falls back to whole files when the diff is huge", () => {
    expect(lineDelta("", "")).toEqual({ added: 0, removed: 0 });
    expect(lineDelta("a\nb\n", "a\nc\n")).toEqual({ added: 1, removed: 1 });
    expect(lineDelta("a\nb", "a\nb\n")).toEqual({ added: 1, removed: 1 }); // the last line gained its newline
    expect(lineDelta("a\nb\nc\n", "a\nx\ny\nb\nc\n")).toEqual({ added: 2, removed: 0 });
    expect(lineDelta("a\nb\nc\nd\n", "a\nd\n")).toEqual({ added: 0, removed: 2 });
    expect(lineDelta("a\nb\nc\n", "c\nb\na\n")).toEqual({ added: 2, removed: 2 });
    const big = (prefix: string) => Array.from({ length: 3_000 }, (_, i) => `${prefix}${i}`).join("\n");
    expect(lineDelta(big("old"), big("new"))).toEqual({ added: 3_000, removed: 3_000 });
    // Above MAX_EDIT_LENGTH differing lines the exact diff is given up (it is quadratic:
    // seconds for these 3,000 lines) and the differing ranges count whole: dropping every
    // other line is exactly 1,500 removed, but counts as lines 1–2,999 replaced by 1,499.
    const lines = Array.from({ length: 3_000 }, (_, i) => `line ${i}\n`);
    expect(lineDelta(lines.join(""), lines.filter((_, i) => i % 2 === 0).join(""))).toEqual({
      added: 1_499,
      removed: 2_999,
    });
  });
});
