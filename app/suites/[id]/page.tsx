import { notFound } from "next/navigation";
import { SuiteRunPage } from "@/components/suites/suite-run-view";
import { hasScope } from "@/lib/auth/scopes";
import { getSuiteRun, toSuiteRunView } from "@/lib/db/suite-runs";
import { isAppError } from "@/lib/http/errors";
import { workspacePageCaller } from "@/lib/http/page-caller";
import { buildSuiteReport } from "@/lib/suites/report";

export const dynamic = "force-dynamic";

export default async function SuiteRun({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const caller = await workspacePageCaller("sessions:read");
  try {
    const suiteRun = toSuiteRunView(await getSuiteRun({ id, workspaceId: caller.workspaceId }));
    return (
      <SuiteRunPage
        initial={{ suiteRun, report: buildSuiteReport(suiteRun.modelIds, suiteRun.results) }}
        canStop={hasScope(caller, "runs:start")}
      />
    );
  } catch (error) {
    if (isAppError(error) && error.code === "not_found:suite_run") notFound();
    throw error;
  }
}
