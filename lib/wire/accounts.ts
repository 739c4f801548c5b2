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
  /** when its current link was mailed to `email` (ISO), null when it was not (or a new link was made since) */
  mailedAt: string | null;
  /** why the last mail of its current link was not sent (shown as "not mailed: …"); null when it was, or none was tried */
  mailError: string | null;
}

/**
 * Whether an invitation's link went out by mail (POST /api/workspace/invitations and its
 * resend). Not sent: `no_smtp` (the instance has no SMTP_URL), `no_email` (the invitation
 * names no address) or `failed` (the server refused or could not be reached; `message`
 * says why, without credentials). The invitation exists either way and its link is in the
 * same response, to copy.
 */
export type InvitationMail =
  | { sent: true; to: string }
  | { sent: false; reason: "no_smtp" | "no_email" }
  | { sent: false; reason: "failed"; to: string; message: string };

/** A new invitation or a new link for one: the invitation, its link path (shown once) and the mail's outcome. */
export interface InvitationCreated {
  invitation: InvitationView;
  /** `/invite/<token>`, on the app's origin */
  path: string;
  mail: InvitationMail;
}

/** What the header's account menu and workspace switcher show (GET /api/account). */
export interface AccountView {
  /** null for a caller that is no user (a share link) */
  user: { id: string; name: string; email: string | null; guest: boolean } | null;
  workspace: { id: string; name: string; role: Role };
  workspaces: WorkspaceMembership[];
}
