import { describe, expect, test } from "vitest";
import type { TestReport } from "@/lib/sandbox/types";
import type { StepNode } from "@/lib/steps/types";
import { type EditorFailure, failureNotice, latestTestRunId, TEST_RUN_ENDED } from "./test-run-notice";

const step = (id: string, createdAt: string, extra: Partial<StepNode> = {}): StepNode =>
  ({ id, kind: "user_note", createdAt, providerData: null, ...extra }) as StepNode;
const testRun = (id: string, createdAt: string) =>
  step(id, createdAt, { providerData: { toolName: "run_tests", testReport: {} as TestReport } });

describe("latestTestRunId", () => {
  test("the newest person's test run by creation, whatever the order given; notes and the model's results are not", () => {
    const steps = [
      testRun("b", "2026-12-01T10:00:02.000Z"),
      testRun("a", "2026-12-01T10:00:01.000Z"),
      step("note", "2026-12-01T10:00:09.000Z"),
      step("result", "2026-12-01T10:00:09.000Z", { kind: "tool_result", providerData: { toolName: "run_tests" } }),
    ];
    expect(latestTestRunId(steps)).toBe("b");
    expect(latestTestRunId([])).toBeNull();
  });

  test("given who is on the page, only their test runs: another person's ending frees none of their places", () => {
    const by = (id: string, createdAt: string, authorId: string | null): StepNode => ({
      ...testRun(id, createdAt),
      authorId,
    });
    const session = [
      by("ana-1", "2026-12-01T10:00:01.000Z", "ana"),
      by("ben-1", "2026-12-01T10:00:05.000Z", "ben"),
      by("nobody", "2026-12-01T10:00:09.000Z", null),
    ];
    expect(latestTestRunId(session, "ana")).toBe("ana-1");
    expect(latestTestRunId(session, "ben")).toBe("ben-1");
    expect(latestTestRunId(session, "cy")).toBeNull();
    // not known who is on the page (not signed in, or not yet told): any person's, as before
    expect(latestTestRunId(session, null)).toBe("nobody");
    expect(latestTestRunId(session)).toBe("nobody");
  });
});

describe("failureNotice", () => {
  const refused: EditorFailure = {
    message: "You have 2 test runs going…",
    code: "rate_limit:test_runs",
    latestTestRunId: "a",
  };
  test("the refusal stands as an error until a test run ends after it, then says to try again, as news", () => {
    expect(failureNotice(refused, "a")).toEqual({ message: refused.message, tone: "error" });
    expect(failureNotice(refused, "b")).toEqual({ message: TEST_RUN_ENDED, tone: "info" });
    expect(failureNotice({ ...refused, latestTestRunId: null }, "a")).toEqual({
      message: TEST_RUN_ENDED,
      tone: "info",
    });
  });
  test("any other failure stands; none is nothing", () => {
    expect(failureNotice({ message: "Could not save the file.", code: null, latestTestRunId: "a" }, "b")).toEqual({
      message: "Could not save the file.",
      tone: "error",
    });
    expect(failureNotice(null, "b")).toBeNull();
  });
});
