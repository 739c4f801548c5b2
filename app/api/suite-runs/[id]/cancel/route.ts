import { getSuiteRun, toSuiteRunView } from "@/lib/db/suite-runs";
import { workspaceRoute } from "@/lib/http/route";
import { buildSuiteReport } from "@/lib/suites/report";
import { cancelSuiteRun } from "@/lib/suites/runner";

/** Stops a suite run: running sessions are cancelled, queued tasks skipped; graded results stay. */
export const POST = workspaceRoute<{ id: string }>("runs:start", async (_request, { caller, params }) => {
  const scoped = { id: params.id, workspaceId: caller.workspaceId };
  await getSuiteRun(scoped);
  await cancelSuiteRun(scoped);
  const suiteRun = toSuiteRunView(await getSuiteRun(scoped));
  return Response.json({ suiteRun, report: buildSuiteReport(suiteRun.modelIds, suiteRun.results) });
});
