import { listSuiteRuns } from "@/lib/db/suite-runs";
import { AppError } from "@/lib/http/errors";
import { readJson, workspaceRoute } from "@/lib/http/route";
import { BUILTIN_SUITE } from "@/lib/suites/builtin";
import { parseSuiteJsonl } from "@/lib/suites/jsonl";
import { buildSuiteReport } from "@/lib/suites/report";
import { startSuiteRun } from "@/lib/suites/runner";
import { MAX_SUITE_BODY_BYTES, startSuiteRunBody } from "@/lib/suites/schema";
import type { Suite } from "@/lib/suites/types";

export const GET = workspaceRoute("sessions:read", async (_request, { caller }) => {
  const suiteRuns = await listSuiteRuns({ workspaceId: caller.workspaceId });
  return Response.json({
    suiteRuns: suiteRuns.map((suiteRun) => ({
      ...suiteRun,
      report: buildSuiteReport(suiteRun.modelIds, suiteRun.results),
    })),
  });
});

/**
 * Starts a suite run; it goes on detached from this request (poll GET /api/suite-runs/:id).
 * At most SUITE_RUNS_AT_ONCE running per person, on every instance together (429 `rate_limit:suite_runs`).
 */
export const POST = workspaceRoute("runs:start", async (request, { caller }) => {
  // JSONL suites are up to 20 MB: more than the 2 MB of other JSON bodies
  const body = await readJson(request, startSuiteRunBody, { maxBytes: MAX_SUITE_BODY_BYTES });
  let suite: Suite;
  if (body.suite === "builtin") suite = BUILTIN_SUITE;
  else if ("jsonl" in body.suite) {
    const imported = parseSuiteJsonl(body.suite.jsonl, body.suite.name, body.suite.format);
    if (!imported.ok) throw new AppError("bad_request:suite", `The suite could not be read: ${imported.error}.`);
    suite = imported.suite;
  } else {
    suite = {
      id: "custom",
      name: body.suite.name,
      tasks: body.suite.tasks.map((task) => ({ ...task, title: task.title ?? task.id })),
    };
  }
  const suiteRun = await startSuiteRun({
    workspaceId: caller.workspaceId,
    createdById: caller.userId,
    suite,
    modelIds: body.modelIds,
    concurrency: body.concurrency,
    ...(body.taskIds ? { taskIds: body.taskIds } : {}),
  });
  return Response.json({ suiteRun, report: buildSuiteReport(suiteRun.modelIds, suiteRun.results) }, { status: 202 });
});
