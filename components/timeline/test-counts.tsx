/**
 * A test run's header badge and its running state: what every row with a test run shows
 * at once. The report itself (test-report.tsx) loads when a row shows one.
 */

import { countsLabel, reportPassed } from "@/lib/sandbox/counts";
import type { TestReport } from "@/lib/sandbox/types";
import { Badge, type BadgeTone } from "../ui/badge";

export type Tone = "pass" | "fail" | "warn";

/** Green only when everything passed; red when a test failed or the run broke; amber otherwise (a limit, no tests). */
export function toneOf(report: TestReport): Tone {
  if (reportPassed(report)) return "pass";
  if (
    report.counts.failed > 0 ||
    report.counts.errors > 0 ||
    report.outcome === "error" ||
    report.outcome === "crashed"
  )
    return "fail";
  return "warn";
}

const BADGE_TONE: Record<Tone, BadgeTone> = { pass: "success", fail: "danger", warn: "warning" };

/** The header badge of a test run: "5 passed · 2 failed", green only when everything passed. */
export function TestCountsBadge({ report }: { report: TestReport }) {
  return (
    <Badge tone={BADGE_TONE[toneOf(report)]} className="tabular-nums">
      {countsLabel(report)}
    </Badge>
  );
}

/** A run_tests result while its tests are still running in the sandbox. */
export function TestsRunning() {
  return (
    <p className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
      <span
        aria-hidden
        className="h-3 w-3 animate-spin rounded-full border-2 border-zinc-300 border-t-violet-500 motion-reduce:animate-none"
      />
      Running tests in the sandbox…
    </p>
  );
}
