import { describe, expect, test } from "vitest";
import {
  appendOutput,
  buildReport,
  emptyOutput,
  formatTestReport,
  interpreterFailure,
  limitMessage,
  type RunRecord,
  summaryLine,
  utf8Prefix,
} from "./report";
import { DEFAULT_LIMITS, type RunnerEvent } from "./types";

const record = (overrides: Partial<RunRecord> = {}): RunRecord => ({
  language: "python",
  events: [],
  output: emptyOutput(),
  outcome: "completed",
  durationMs: 12.4,
  testFiles: ["test_calc.py"],
  limits: DEFAULT_LIMITS,
  ...overrides,
});

const pass = (name: string): RunnerEvent[] => [
  { type: "test_start", name, file: "test_calc.py" },
  { type: "test_end", name, file: "test_calc.py", status: "pass", durationMs: 1 },
];

describe("output cap", () => {
  test("utf8Prefix never splits a character", () => {
    expect(utf8Prefix("héllo", 2)).toBe("h");
    expect(utf8Prefix("héllo", 3)).toBe("hé");
    expect(utf8Prefix("😀x", 3)).toBe("");
    expect(utf8Prefix("abc", 0)).toBe("");
  });

  test("both streams share one cap; the stream that overflows is marked truncated", () => {
    const buffer = emptyOutput();
    expect(appendOutput(buffer, "stdout", "12345", 8)).toBe(false);
    expect(appendOutput(buffer, "stderr", "abcdef", 8)).toBe(true);
    expect(buffer).toEqual({ stdout: "12345", stderr: "abc", bytes: 8, truncated: { stdout: false, stderr: true } });
    expect(appendOutput(buffer, "stdout", "more", 8)).toBe(true);
    expect(buffer.stdout).toBe("12345");
  });
});

describe("buildReport", () => {
  test("counts per status and keeps messages", () => {
    const report = buildReport(
      record({
        events: [
          ...pass("test_a"),
          { type: "test_start", name: "test_b", file: "test_calc.py" },
          {
            type: "test_end",
            name: "test_b",
            file: "test_calc.py",
            status: "fail",
            message: "assert 1 == 2",
            durationMs: 2,
          },
          { type: "test_end", name: "test_c", file: "test_calc.py", status: "skip", message: "later", durationMs: 0 },
          { type: "collect_error", file: "test_other.py", message: "SyntaxError: invalid syntax" },
        ],
      }),
    );
    expect(report.counts).toEqual({ passed: 1, failed: 1, errors: 1, skipped: 1, total: 4 });
    expect(report.tests[1]).toEqual({
      name: "test_b",
      file: "test_calc.py",
      status: "fail",
      message: "assert 1 == 2",
      durationMs: 2,
    });
    expect(report.tests[3]).toMatchObject({
      name: "test_other.py",
      status: "error",
      message: "SyntaxError: invalid syntax",
    });
    expect(report.outcome).toBe("completed");
    expect(report.durationMs).toBe(12);
  });

  test("the test running when a limit stopped the run is an error naming the limit", () => {
    const report = buildReport(
      record({
        outcome: "timeout",
        limits: { ...DEFAULT_LIMITS, timeMs: 2000 },
        events: [...pass("test_a"), { type: "test_start", name: "test_loop", file: "test_calc.py" }],
      }),
    );
    expect(report.outcome).toBe("timeout");
    expect(report.outcomeMessage).toBe(
      "Stopped: the run took longer than its 2 s time limit while test_loop was running (an infinite loop, or a test far too slow).",
    );
    expect(report.tests.at(-1)).toMatchObject({ name: "test_loop", status: "error", message: report.outcomeMessage });
    expect(report.counts).toMatchObject({ passed: 1, errors: 1, total: 2 });
  });

  test("a completed run without tests says how to name them", () => {
    const report = buildReport(record());
    expect(report.outcome).toBe("no_tests");
    expect(report.outcomeMessage).toMatch(/no tests found in test_calc.py/);
  });

  test("an interpreter failure keeps its own message", () => {
    const report = buildReport(
      record({ outcome: "error", outcomeMessage: "The interpreter failed: RangeError", events: pass("test_a") }),
    );
    expect(report.outcomeMessage).toBe("The interpreter failed: RangeError");
  });
});

describe("limitMessage", () => {
  test("names the limit in the unit people set it in", () => {
    const limits = { timeMs: 10_000, memoryBytes: 256 * 1024 * 1024, outputBytes: 1024 * 1024 };
    expect(limitMessage("memory", limits)).toBe("Stopped: the code used more than the 256 MiB memory limit.");
    expect(limitMessage("output_limit", limits, "t")).toMatch(/more than the 1 MiB output limit while t was running/);
    expect(limitMessage("completed", limits)).toBeUndefined();
  });
});

test("interpreterFailure explains a stack overflow and passes other failures on", () => {
  expect(interpreterFailure("RangeError: Maximum call stack size exceeded")).toMatch(
    /^Stopped: the code recursed too deeply/,
  );
  expect(interpreterFailure("PythonError: boom")).toBe("The interpreter failed: PythonError: boom");
});

describe("formatTestReport", () => {
  const failing = buildReport(
    record({
      events: [
        ...pass("test_a"),
        {
          type: "test_end",
          name: "test_b",
          file: "test_calc.py",
          status: "fail",
          message: "assert 4 == 5\n +  where 4 = add(2, 2)",
          durationMs: 2,
        },
        {
          type: "test_end",
          name: "test_c",
          file: "test_calc.py",
          status: "error",
          message: "KeyError: 'x'",
          durationMs: 1,
        },
      ],
      output: { ...emptyOutput(), stdout: "debug line\n", bytes: 11 },
    }),
  );

  test("summary first, failures with their messages, then passes and output", () => {
    expect(formatTestReport(failing)).toBe(
      [
        "Python tests in test_calc.py: 1 passed, 1 failed, 1 error (3 tests, 12 ms)",
        "",
        "FAILED test_calc.py::test_b",
        "    assert 4 == 5",
        "     +  where 4 = add(2, 2)",
        "",
        "ERROR test_calc.py::test_c",
        "    KeyError: 'x'",
        "",
        "passed test_calc.py::test_a",
        "",
        "stdout:",
        "debug line",
      ].join("\n"),
    );
  });

  test("long output keeps its head and tail; a cut stream says so", () => {
    const report = buildReport(
      record({
        events: pass("test_a"),
        output: {
          stdout: `${"a".repeat(100)}${"b".repeat(100)}`,
          stderr: "",
          bytes: 200,
          truncated: { stdout: true, stderr: false },
        },
      }),
    );
    const text = formatTestReport(report, { maxOutputChars: 50 });
    expect(text).toContain("stdout (cut at the output limit):");
    expect(text).toContain(`${"a".repeat(30)}\n… (150 characters left out) …\n${"b".repeat(20)}`);
  });

  test("a run with no test file says so without an empty file list", () => {
    const none = { ...buildReport(record({ events: [] })), testFiles: [], outcome: "error" as const };
    expect(formatTestReport({ ...none, outcomeMessage: "Nothing ran: nonexistent.py does not exist." })).toBe(
      "Python tests: 0 passed, 0 failed (0 tests, 12 ms)\nNothing ran: nonexistent.py does not exist.",
    );
  });

  test("many passing tests are counted past the listed ones", () => {
    const events = Array.from({ length: 5 }, (_, i) => pass(`test_${i}`)).flat();
    const text = formatTestReport(buildReport(record({ events })), { maxListed: 2 });
    expect(text).toContain("passed test_calc.py::test_1\n… and 3 more passed or skipped");
  });

  test("summaryLine reads as the plain N passed, N failed line", () => {
    expect(summaryLine(failing)).toBe("1 passed, 1 failed, 1 error (3 tests, 12 ms)");
  });
});
