import "server-only";
import { accountOf } from "@/lib/auth/account";
import { recordInvitationMail } from "@/lib/auth/members";
import type { Caller } from "@/lib/auth/scopes";
import { env } from "@/lib/env";
import { countAgainstLimit } from "@/lib/http/rate-limit";
import { appOrigin } from "@/lib/mail/links";
import { invitationMail } from "@/lib/mail/messages";
import { MailError, mailEnabled, sendMail } from "@/lib/mail/send";
import type { InvitationCreated, InvitationMail, InvitationView } from "@/lib/wire/accounts";

/**
 * A new invitation (or a new link for one) as the API answers it: its link path and, when
 * the instance sends mail and the invitation names an address, the link mailed there (and
 * `mailedAt` stored, so the list says so later). A mail that fails is stored as why
 * (`mailError`, the list shows "not mailed: …" after a reload too) — the response says it
 * was not sent and why (`mail`), and the link is there to copy — so a mail server's
 * trouble is never a 500.
 */
export async function deliverInvitation({
  caller,
  request,
  invitation,
  token,
}: {
  caller: Caller;
  request: Request;
  invitation: InvitationView;
  token: string;
}): Promise<InvitationCreated> {
  const path = `/invite/${token}`;
  const { mail, stored } = await mailInvitation({ caller, request, invitation, path });
  const outcome = mail.sent ? { mailedAt: new Date() } : stored === null ? null : { mailError: stored };
  if (!outcome) return { invitation, path, mail };
  const recorded = await recordInvitationMail(caller, invitation.id, outcome);
  return { invitation: recorded ?? invitation, path, mail };
}

/** Invitation mails one user (or a token that is no user, per workspace) may send per minute. */
export const INVITATION_MAILS_PER_MINUTE = 10;
/** Invitation mails one address may be sent per minute, whoever sends them. */
export const INVITATION_MAILS_PER_ADDRESS = 3;

/**
 * Counts one invitation mail from `caller` to `to` against both limits (per instance, in
 * memory: lib/http/rate-limit.ts): null when it may go, else why not, in a sentence for
 * `mail.message`. Anyone may make a workspace and invite, so without this the instance's
 * mail server would send whatever many mails anyone asked, with a subject they chose (the
 * workspace name), to any address.
 */
function invitationMailRefusal(caller: Caller, to: string): string | null {
  const sender = countAgainstLimit({
    limit: "invitation-mails",
    key: caller.userId ?? `workspace:${caller.workspaceId}`,
    max: INVITATION_MAILS_PER_MINUTE,
  });
  if (!sender.allowed) {
    return `You mailed ${INVITATION_MAILS_PER_MINUTE} invitations in the last minute, the most allowed: Resend in ${sender.retryAfterSeconds} s.`;
  }
  const recipient = countAgainstLimit({
    limit: "invitation-mails-to",
    key: to.toLowerCase(),
    max: INVITATION_MAILS_PER_ADDRESS,
  });
  if (!recipient.allowed) {
    return `${to} was sent ${INVITATION_MAILS_PER_ADDRESS} invitations in the last minute, the most allowed: Resend in ${recipient.retryAfterSeconds} s.`;
  }
  return null;
}

/** What stays of a mail refused for the limits: "Resend in N s" would be stale after a reload. */
const LIMITED = "too many invitation mails in one minute; try Resend.";

/**
 * Mails the invitation's link if the instance sends mail and it names an address: what the
 * response says (`mail`), and what the invitation keeps of a failure (`stored`: null when
 * there is nothing to keep — sent, or not tried).
 */
async function mailInvitation({
  caller,
  request,
  invitation,
  path,
}: {
  caller: Caller;
  request: Request;
  invitation: InvitationView;
  path: string;
}): Promise<{ mail: InvitationMail; stored: string | null }> {
  if (!mailEnabled()) return { mail: { sent: false, reason: "no_smtp" }, stored: null };
  const to = invitation.email;
  if (!to) return { mail: { sent: false, reason: "no_email" }, stored: null };
  const refused = invitationMailRefusal(caller, to);
  if (refused) return { mail: { sent: false, reason: "failed", to, message: refused }, stored: LIMITED };
  const { workspace, user } = await accountOf(caller);
  const origin = appOrigin({
    authUrl: env().AUTH_URL,
    requestUrl: request.url,
    host: request.headers.get("host"),
    forwardedProto: request.headers.get("x-forwarded-proto"),
  });
  const link = `${origin}${path}`;
  const content = invitationMail({
    workspaceName: workspace.name,
    role: invitation.role,
    inviter: user && !user.guest ? user.name : null,
    link,
    expiresAt: new Date(invitation.expiresAt),
  });
  try {
    await sendMail(to, content);
    return { mail: { sent: true, to }, stored: null };
  } catch (error) {
    const message = error instanceof MailError ? error.message : "The mail could not be sent.";
    console.error(`[mail] invitation ${invitation.id}: ${message}`);
    return { mail: { sent: false, reason: "failed", to, message }, stored: message };
  }
}
