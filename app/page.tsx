import { PendingApprovals } from "@/components/review/pending-approvals";
import { ImportButton } from "@/components/session/import-button";
import { NewSessionForm } from "@/components/session/new-session-form";
import { SessionList } from "@/components/session/session-list";
import { hasScope } from "@/lib/auth/scopes";
import { listPendingApprovals } from "@/lib/db/approvals";
import { listSessions } from "@/lib/db/sessions";
import { getWorkspace } from "@/lib/db/workspaces";
import { workspacePageCaller } from "@/lib/http/page-caller";
import { defaultModelId, listModelOptions } from "@/lib/model/registry";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const caller = await workspacePageCaller("sessions:read");
  const [workspace, sessions, approvals] = await Promise.all([
    getWorkspace({ caller }),
    listSessions({ workspaceId: caller.workspaceId }),
    listPendingApprovals({ workspaceId: caller.workspaceId }),
  ]);
  // What the caller's scopes allow, not their role's name: starting a session also starts its run.
  const canStart = hasScope(caller, "sessions:write") && hasScope(caller, "runs:start");
  const canWrite = hasScope(caller, "sessions:write");
  return (
    <div className="mx-auto w-full max-w-3xl space-y-8 px-4 py-8">
      <section className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Watch MiniMax-M2 think while it codes</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Give a coding task. The model alternates short reasoning with code; every step streams into a timeline you can
          edit and regenerate from.
        </p>
      </section>
      <PendingApprovals approvals={approvals} />
      {canStart ? (
        <section className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <NewSessionForm models={listModelOptions()} defaultModelId={defaultModelId()} />
        </section>
      ) : (
        <p className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          Your role in {workspace.name} reads its sessions and comments on them. To start sessions and runs, ask an
          owner or admin to make you a member.
        </p>
      )}
      <section className="space-y-3" aria-labelledby="sessions-heading">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h2
            id="sessions-heading"
            className="text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400"
          >
            Sessions in {workspace.name}
          </h2>
          {canWrite ? <ImportButton /> : null}
        </div>
        <SessionList initial={sessions} canDelete={canWrite} />
      </section>
    </div>
  );
}
