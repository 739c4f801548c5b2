/** What crosses the wire about accounts and workspaces: the account menu, members and invitations (issue 8). */
import type { Role } from "@/lib/auth/scopes";

/** A workspace as its members see it in the switcher. */
export interface WorkspaceMembership {
  workspaceId: string;
  name: string;
  role: Role;
}

/** A member as the settings page lists them (no secrets: name, email, role). */
export interface MemberView {
  id: string;
  userId: string;
  name: string;
  email: string | null;
  guest: boolean;
  role: Role;
  since: string;
}

/** An invitation as the settings page lists it; the link itself is shown once, at creation. */
export interface InvitationView {
  id: string;
  role: Role;
  email: string | null;
  createdAt: string;
  expiresAt: string;
  status: "open" | "accepted" | "revoked" | "expired";
}

/** What the header's account menu and workspace switcher show (GET /api/account). */
export interface AccountView {
  /** null for a caller that is no user (a share link) */
  user: { id: string; name: string; email: string | null; guest: boolean } | null;
  workspace: { id: string; name: string; role: Role };
  workspaces: WorkspaceMembership[];
}
