import { getSuiteRun, toSuiteRunView } from "@/lib/db/suite-runs";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";
import { buildSuiteReport } from "@/lib/suites/report";

type Context = { params: Promise<{ id: string }> };

/** A suite run's progress and report: every task on every model, and pass@1, tokens, cost, latency per model. */
export const GET = route(async (_request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  const suiteRun = toSuiteRunView(await getSuiteRun({ id, workspaceId: workspace.id }));
  return Response.json({ suiteRun, report: buildSuiteReport(suiteRun.modelIds, suiteRun.results) });
});
