import Link from "next/link";
import { SuiteRunForm } from "@/components/suites/suite-run-form";
import { hasScope } from "@/lib/auth/scopes";
import { listSuiteRuns } from "@/lib/db/suite-runs";
import { workspacePageCaller } from "@/lib/http/page-caller";
import { defaultModelId, listModelOptions } from "@/lib/model/registry";
import { BUILTIN_SUITE } from "@/lib/suites/builtin";
import { buildSuiteReport } from "@/lib/suites/report";

export const dynamic = "force-dynamic";

export default async function SuitesPage() {
  const caller = await workspacePageCaller("sessions:read");
  const runs = await listSuiteRuns({ workspaceId: caller.workspaceId });
  return (
    <div className="mx-auto w-full max-w-3xl space-y-8 px-4 py-8">
      <section className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Task suites</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Give every task to one or more models, grade each session with hidden tests in the sandbox, and compare
          pass@1, tokens, cost and latency. Every task stays a session you can open.
        </p>
      </section>
      {hasScope(caller, "runs:start") ? (
        <section className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <SuiteRunForm
            models={listModelOptions()}
            builtinTaskCount={BUILTIN_SUITE.tasks.length}
            defaultModelId={defaultModelId()}
          />
        </section>
      ) : null}
      <section className="space-y-2" aria-labelledby="runs-heading">
        <h2
          id="runs-heading"
          className="text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400"
        >
          Suite runs
        </h2>
        {runs.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No suite runs yet.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
            {runs.map((run) => {
              const report = buildSuiteReport(run.modelIds, run.results);
              return (
                <li key={run.id}>
                  <Link
                    href={`/suites/${run.id}`}
                    className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-900"
                  >
                    <span className="font-medium">{run.suiteName}</span>
                    <span className="text-xs text-zinc-500 dark:text-zinc-400">{run.modelIds.join(", ")}</span>
                    <span className="ml-auto text-xs text-zinc-500 dark:text-zinc-400 tabular-nums">
                      {run.status} · {report.progress.done}/{report.progress.total} · pass@1{" "}
                      {report.models
                        .map((m) => (m.passAt1 === null ? "–" : `${Math.round(m.passAt1 * 100)} %`))
                        .join(" / ")}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
