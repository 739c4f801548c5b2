import { describe, expect, test } from "vitest";
import { isJsTestFile, isPythonTestFile, selectTests } from "./files";

describe("test file names", () => {
  test("pytest's and vitest's default patterns", () => {
    expect(["test_calc.py", "tests/test_x.py", "calc_test.py"].every(isPythonTestFile)).toBe(true);
    expect(["calc.py", "testing.py", "test_data.json", "conftest.py"].some(isPythonTestFile)).toBe(false);
    expect(
      ["a.test.ts", "src/a.spec.tsx", "a.test.mjs", "__tests__/a.ts", "x/__tests__/b.js"].every(isJsTestFile),
    ).toBe(true);
    expect(["a.ts", "test.ts", "a.test.py", "latest.ts"].some(isJsTestFile)).toBe(false);
  });
});

describe("selectTests", () => {
  test("picks the language from the test files", () => {
    const py = selectTests({ files: { "calc.py": "", "test_calc.py": "", "README.md": "" } });
    expect(py).toMatchObject({ ok: true, language: "python", testFiles: ["test_calc.py"] });
    const ts = selectTests({ files: { "a.ts": "", "a.test.ts": "", "b.test.js": "" } });
    expect(ts).toMatchObject({ ok: true, language: "typescript", testFiles: ["a.test.ts", "b.test.js"] });
    const js = selectTests({ files: { "a.js": "", "a.test.js": "" } });
    expect(js).toMatchObject({ ok: true, language: "javascript" });
  });

  test("normalizes paths the way the file tools do", () => {
    const result = selectTests({ files: { "./src//calc.py": "x", "tests\\test_calc.py": "y" } });
    expect(result).toMatchObject({ ok: true, files: { "src/calc.py": "x", "tests/test_calc.py": "y" } });
  });

  test("runs only the given paths, and says what is wrong with a bad one", () => {
    const files = { "test_a.py": "", "test_b.py": "", "b.py": "" };
    expect(selectTests({ files, paths: ["./test_b.py"] })).toMatchObject({ ok: true, testFiles: ["test_b.py"] });
    expect(selectTests({ files, paths: ["test_c.py"] })).toEqual({
      ok: false,
      message: "test_c.py does not exist in the project",
    });
    expect(selectTests({ files, paths: ["b.py"] })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^b.py is not a test file/),
    });
    expect(selectTests({ files, paths: ["../etc/passwd"] })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/outside the project/),
    });
  });

  test("both languages need a choice; an explicit language takes its own files", () => {
    const files = { "test_a.py": "", "a.test.ts": "" };
    expect(selectTests({ files })).toMatchObject({ ok: false, message: expect.stringMatching(/choose one language/) });
    expect(selectTests({ files, language: "python" })).toMatchObject({ ok: true, testFiles: ["test_a.py"] });
    expect(selectTests({ files, language: "javascript" })).toMatchObject({ ok: true, testFiles: ["a.test.ts"] });
  });

  test("no test files is an error a model can act on", () => {
    expect(selectTests({ files: { "calc.py": "" } })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^no test files found/),
    });
    expect(selectTests({ files: { "a.test.ts": "" }, language: "python" })).toEqual({
      ok: false,
      message: "no Python test files found",
    });
  });
});
