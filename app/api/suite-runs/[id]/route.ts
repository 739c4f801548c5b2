import { getSuiteRun, toSuiteRunView } from "@/lib/db/suite-runs";
import { workspaceRoute } from "@/lib/http/route";
import { buildSuiteReport } from "@/lib/suites/report";

/** A suite run's progress and report: every task on every model, and pass@1, tokens, cost, latency per model. */
export const GET = workspaceRoute<{ id: string }>("sessions:read", async (_request, { caller, params }) => {
  const suiteRun = toSuiteRunView(await getSuiteRun({ id: params.id, workspaceId: caller.workspaceId }));
  return Response.json({ suiteRun, report: buildSuiteReport(suiteRun.modelIds, suiteRun.results) });
});
