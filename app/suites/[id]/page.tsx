import { notFound } from "next/navigation";
import { SuiteRunPage } from "@/components/suites/suite-run-view";
import { getSuiteRun, toSuiteRunView } from "@/lib/db/suite-runs";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { AppError } from "@/lib/http/errors";
import { buildSuiteReport } from "@/lib/suites/report";

export const dynamic = "force-dynamic";

export default async function SuiteRun({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  try {
    const suiteRun = toSuiteRunView(await getSuiteRun({ id, workspaceId: workspace.id }));
    return <SuiteRunPage initial={{ suiteRun, report: buildSuiteReport(suiteRun.modelIds, suiteRun.results) }} />;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found:suite_run") notFound();
    throw error;
  }
}
