import { getSuiteRun, toSuiteRunView } from "@/lib/db/suite-runs";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";
import { buildSuiteReport } from "@/lib/suites/report";
import { cancelSuiteRun } from "@/lib/suites/runner";

type Context = { params: Promise<{ id: string }> };

/** Stops a suite run: running sessions are cancelled, queued tasks skipped; graded results stay. */
export const POST = route(async (_request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  await getSuiteRun({ id, workspaceId: workspace.id });
  await cancelSuiteRun({ id, workspaceId: workspace.id });
  const suiteRun = toSuiteRunView(await getSuiteRun({ id, workspaceId: workspace.id }));
  return Response.json({ suiteRun, report: buildSuiteReport(suiteRun.modelIds, suiteRun.results) });
});
