import type { Metadata } from "next";
import { AccessTokens } from "@/components/account/access-tokens";
import { WorkspaceSettings } from "@/components/account/workspace-settings";
import { WorkspaceShares } from "@/components/account/workspace-shares";
import { listInvitations, listMembers } from "@/lib/auth/members";
import { hasScope } from "@/lib/auth/scopes";
import { listApiTokens } from "@/lib/db/api-tokens";
import { listShareLinks } from "@/lib/db/share-links";
import { getWorkspace } from "@/lib/db/workspaces";
import { workspacePageCaller } from "@/lib/http/page-caller";
import { mailEnabled } from "@/lib/mail/send";

export const metadata: Metadata = { title: "Workspace settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const caller = await workspacePageCaller("sessions:read");
  const manages = hasScope(caller, "members:manage");
  // Tokens act for a person: only a signed-in one makes them (not the local instance).
  const makesTokens = hasScope(caller, "tokens:manage") && caller.via === "cookie" && caller.userId !== null;
  const [workspace, members, invitations, tokens, shares] = await Promise.all([
    getWorkspace({ caller }),
    listMembers(caller),
    manages ? listInvitations(caller) : Promise.resolve(null),
    makesTokens ? listApiTokens({ caller }) : Promise.resolve(null),
    hasScope(caller, "shares:manage") ? listShareLinks({ caller }) : Promise.resolve(null),
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
        mailOn={mailEnabled()}
      >
        {tokens && <AccessTokens workspaceName={workspace.name} role={caller.role} tokens={tokens} />}
        {shares && <WorkspaceShares shares={shares} />}
      </WorkspaceSettings>
    </div>
  );
}
