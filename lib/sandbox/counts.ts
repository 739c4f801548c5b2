/**
 * A test report in a word: its counts as a label and whether it passed. Pure, on the
 * report's type only, so the browser's test badges don't bundle the report builder.
 */
import type { TestReport } from "./types";

/** A one-line heading of a report for badges and labels, e.g. "2 passed · 1 failed". */
export function countsLabel(report: TestReport): string {
  const { passed, failed, errors, skipped } = report.counts;
  if (report.outcome === "no_tests") return "no tests";
  if (report.outcome === "error" || report.outcome === "crashed")
    return report.outcome === "crashed" ? "crashed" : "did not run";
  const parts = [`${passed} passed`];
  if (failed > 0) parts.push(`${failed} failed`);
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  return parts.join(" · ");
}

/** Whether every test that ran passed and the run ended normally. */
export function reportPassed(report: TestReport): boolean {
  return (
    report.outcome === "completed" &&
    report.counts.failed === 0 &&
    report.counts.errors === 0 &&
    report.counts.total > 0
  );
}
