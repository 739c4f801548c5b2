import { describe, expect, it } from "vitest";
import { countsLabel, reportPassed } from "@/lib/sandbox/counts";
import { DEFAULT_LIMITS, type TestReport, type TestResult } from "@/lib/sandbox/types";
import { compactReport, isFailedTestRun, untilAborted } from "./test-runs";

function report(fields: Partial<TestReport> = {}): TestReport {
  return {
    language: "python",
    outcome: "completed",
    tests: [],
    counts: { passed: 0, failed: 0, errors: 0, skipped: 0, total: 0 },
    stdout: { text: "", truncated: false },
    stderr: { text: "", truncated: false },
    durationMs: 40,
    testFiles: ["test_x.py"],
    limits: DEFAULT_LIMITS,
    ...fields,
  };
}

const test = (name: string, status: TestResult["status"], message?: string): TestResult => ({
  name,
  file: "test_x.py",
  status,
  durationMs: 1,
  ...(message === undefined ? {} : { message }),
});

describe("compactReport", () => {
  it("keeps a small report as it is", () => {
    const small = report({
      tests: [test("test_a", "pass"), test("test_b", "fail", "assert 1 == 2")],
      counts: { passed: 1, failed: 1, errors: 0, skipped: 0, total: 2 },
      stdout: { text: "hello\n", truncated: false },
    });
    expect(compactReport(small)).toStrictEqual(small);
  });

  it("cuts long output and messages, keeping head and tail, and marks the stream truncated", () => {
    const long = "a".repeat(3000) + "b".repeat(3000);
    const compacted = compactReport(
      report({ stdout: { text: long, truncated: false }, tests: [test("t", "fail", "x".repeat(5000))] }),
    );
    expect(compacted.stdout.truncated).toBe(true);
    expect(compacted.stdout.text.length).toBeLessThan(4100);
    expect(compacted.stdout.text.startsWith("aaa")).toBe(true);
    expect(compacted.stdout.text.endsWith("bbb")).toBe(true);
    expect(compacted.stdout.text).toContain("(2000 characters left out)");
    expect(compacted.tests[0]?.message?.length).toBeLessThan(2100);
    expect(compacted.stderr).toStrictEqual({ text: "", truncated: false });
  });

  it("lists at most 200 tests, failures first so none is lost; counts stay whole", () => {
    const passing = Array.from({ length: 300 }, (_, i) => test(`test_${i}`, "pass"));
    const counts = { passed: 300, failed: 1, errors: 0, skipped: 0, total: 301 };
    const compacted = compactReport(report({ tests: [...passing, test("test_bad", "fail", "no")], counts }));
    expect(compacted.tests).toHaveLength(200);
    expect(compacted.tests[0]?.name).toBe("test_bad");
    expect(compacted.counts).toStrictEqual(counts);
  });
});

describe("isFailedTestRun", () => {
  it("is true only when the run could not happen or the sandbox crashed, not for failing tests", () => {
    expect(isFailedTestRun(report({ outcome: "error" }))).toBe(true);
    expect(isFailedTestRun(report({ outcome: "crashed" }))).toBe(true);
    for (const outcome of ["completed", "timeout", "memory", "output_limit", "no_tests"] as const) {
      expect(isFailedTestRun(report({ outcome }))).toBe(false);
    }
  });
});

describe("countsLabel and reportPassed", () => {
  it("say what a person needs at a glance", () => {
    const green = report({ counts: { passed: 3, failed: 0, errors: 0, skipped: 0, total: 3 } });
    expect(countsLabel(green)).toBe("3 passed");
    expect(reportPassed(green)).toBe(true);
    const mixed = report({ counts: { passed: 2, failed: 1, errors: 2, skipped: 1, total: 6 } });
    expect(countsLabel(mixed)).toBe("2 passed · 1 failed · 2 errors · 1 skipped");
    expect(reportPassed(mixed)).toBe(false);
    expect(countsLabel(report({ outcome: "no_tests" }))).toBe("no tests");
    expect(countsLabel(report({ outcome: "error" }))).toBe("did not run");
    expect(countsLabel(report({ outcome: "crashed" }))).toBe("crashed");
    expect(reportPassed(report({ outcome: "timeout", counts: green.counts }))).toBe(false);
    expect(reportPassed(report())).toBe(false);
  });
});

describe("untilAborted", () => {
  it("resolves and rejects with the promise while the signal stays quiet", async () => {
    const signal = new AbortController().signal;
    await expect(untilAborted(Promise.resolve(3), signal)).resolves.toBe(3);
    await expect(untilAborted(Promise.reject(new Error("broke")), signal)).rejects.toThrow("broke");
  });

  it("rejects with the abort reason at once, without waiting for the promise", async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const waiting = untilAborted(never, controller.signal);
    controller.abort(new Error("Stopped by a person."));
    await expect(waiting).rejects.toThrow("Stopped by a person.");
    await expect(untilAborted(Promise.resolve(1), controller.signal)).rejects.toThrow("Stopped by a person.");
  });
});
