import { z } from "zod";
import { idField } from "@/lib/http/input";
import { ROLES } from "./scopes";

/** Request bodies of the account and workspace routes (docs/api.md "Accounts and workspaces"). */

const role = z.enum(ROLES, `role must be one of ${ROLES.join(", ")}`);

export const workspaceName = z
  .string("name must be text")
  .trim()
  .min(1, "Give the workspace a name.")
  .max(80, "Keep the workspace name under 80 characters.");

/** POST /api/workspaces, PATCH /api/workspace */
export const workspaceBody = z.object({ name: workspaceName });

/** POST /api/account/workspace: the workspace this browser works in */
export const switchWorkspaceBody = z.object({ workspaceId: idField("workspaceId", { what: "a workspace id" }) });

/** PATCH /api/workspace/members/[memberId] */
export const memberRoleBody = z.object({ role });

/** POST /api/workspace/invitations */
export const invitationBody = z.object({
  role,
  email: z.email("email must be an email address, or left out").max(254).optional(),
});

/** POST /api/invitations/accept */
export const acceptInvitationBody = z.object({
  token: z
    .string("token must be text")
    .regex(/^[A-Za-z0-9_-]{20,100}$/, "This is not an invitation link's token: copy the whole link."),
});
