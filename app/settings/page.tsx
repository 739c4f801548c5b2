import type { Metadata } from "next";
import { WorkspaceSettings } from "@/components/account/workspace-settings";
import { listInvitations, listMembers } from "@/lib/auth/members";
import { hasScope } from "@/lib/auth/scopes";
import { getWorkspace } from "@/lib/db/workspaces";
import { workspacePageCaller } from "@/lib/http/page-caller";

export const metadata: Metadata = { title: "Workspace settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const caller = await workspacePageCaller("sessions:read");
  const manages = hasScope(caller, "members:manage");
  const [workspace, members, invitations] = await Promise.all([
    getWorkspace({ caller }),
    listMembers(caller),
    manages ? listInvitations(caller) : Promise.resolve(null),
  ]);
  return (
    <div className="mx-auto w-full max-w-3xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-semibold tracking-tight">Workspace settings</h1>
      <WorkspaceSettings
        workspace={{ id: workspace.id, name: workspace.name }}
        role={caller.role}
        userId={caller.userId}
        members={members}
        invitations={invitations}
      />
    </div>
  );
}
