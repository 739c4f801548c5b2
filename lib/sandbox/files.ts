/**
 * Which files of a project are tests, and which interpreter runs them. Pure functions.
 * Test file names follow the runners models imitate: pytest's default `python_files`
 * (`test_*.py`, `*_test.py`, docs.pytest.org "Conventions for Python test discovery") and
 * vitest's default `include` (`**\/*.{test,spec}.?(c|m)[jt]s?(x)`), plus jest's `__tests__/`.
 */
import { normalizeProjectPath } from "@/lib/steps/virtual-files";
import type { SandboxLanguage } from "./types";

const PYTHON_TEST = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/;
const JS_TEST = /(^|\/)[^/]*\.(test|spec)\.[cm]?[jt]sx?$/;
const JS_IN_TESTS_FOLDER = /(^|\/)__tests__\/[^/]*\.[cm]?[jt]sx?$/;
const TS_FILE = /\.[cm]?tsx?$/;

export function isPythonTestFile(path: string): boolean {
  return PYTHON_TEST.test(path);
}

export function isJsTestFile(path: string): boolean {
  return JS_TEST.test(path) || JS_IN_TESTS_FOLDER.test(path);
}

export type TestSelection =
  | { ok: true; language: SandboxLanguage; testFiles: string[]; files: Record<string, string> }
  | { ok: false; message: string };

/**
 * Normalizes the project's paths, picks the test files (`paths` if given, else every test
 * file) and the language (`language`, else from the test files: Python, or TypeScript when
 * any JS-family test file is .ts, else JavaScript). Errors are sentences a model can act on.
 */
export function selectTests(input: {
  files: Record<string, string>;
  language?: SandboxLanguage | "auto";
  paths?: string[];
}): TestSelection {
  const files: Record<string, string> = {};
  for (const [raw, content] of Object.entries(input.files)) {
    const path = normalizeProjectPath(raw);
    if (!path.ok) return { ok: false, message: path.error };
    files[path.value] = content;
  }

  let candidates: string[];
  if (input.paths && input.paths.length > 0) {
    candidates = [];
    for (const raw of input.paths) {
      const path = normalizeProjectPath(raw);
      if (!path.ok) return { ok: false, message: path.error };
      if (!(path.value in files)) return { ok: false, message: `${raw} does not exist in the project` };
      if (!isPythonTestFile(path.value) && !isJsTestFile(path.value)) {
        return {
          ok: false,
          message: `${raw} is not a test file: name Python tests test_*.py or *_test.py, JavaScript/TypeScript tests *.test.ts or *.spec.ts`,
        };
      }
      if (!candidates.includes(path.value)) candidates.push(path.value);
    }
  } else {
    candidates = Object.keys(files)
      .filter((path) => isPythonTestFile(path) || isJsTestFile(path))
      .sort();
  }

  const python = candidates.filter(isPythonTestFile);
  const js = candidates.filter(isJsTestFile);
  const requested = input.language && input.language !== "auto" ? input.language : undefined;
  let language: SandboxLanguage;
  if (requested) language = requested;
  else if (python.length > 0 && js.length > 0) {
    return {
      ok: false,
      message: `the project has Python tests (${python.join(", ")}) and JavaScript/TypeScript tests (${js.join(", ")}); choose one language or give the test files to run`,
    };
  } else if (python.length > 0) language = "python";
  else if (js.some((path) => TS_FILE.test(path))) language = "typescript";
  else if (js.length > 0) language = "javascript";
  else {
    return {
      ok: false,
      message:
        "no test files found: name Python tests test_*.py or *_test.py, JavaScript/TypeScript tests *.test.ts or *.spec.ts",
    };
  }

  const testFiles = language === "python" ? python : js;
  if (testFiles.length === 0) {
    return { ok: false, message: `no ${language === "python" ? "Python" : "JavaScript/TypeScript"} test files found` };
  }
  return { ok: true, language, testFiles, files };
}
