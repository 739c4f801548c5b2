/**
 * The mails the app sends, as plain text (no HTML: nothing a person typed, such as a
 * workspace name, can become markup). Pure, so each is unit-tested.
 */

/** One mail: its subject line and its plain-text body. */
export interface MailContent {
  subject: string;
  text: string;
}

/** Subjects are one line: a name with a line break in it can't add a header or a second line. */
const oneLine = (value: string) => value.replace(/\s+/g, " ").trim();

/**
 * An invitation to a workspace: who invites (`inviter`, null for a bot's token without a
 * person), to which workspace and role, the link (absolute) and when it stops working.
 */
export function invitationMail({
  workspaceName,
  role,
  inviter,
  link,
  expiresAt,
}: {
  workspaceName: string;
  role: string;
  inviter: string | null;
  link: string;
  expiresAt: Date;
}): MailContent {
  const who = inviter ? oneLine(inviter) : "Someone";
  return {
    subject: oneLine(`${who} invited you to ${workspaceName} on Interleave`),
    text: [
      `${who} invited you to join the workspace "${oneLine(workspaceName)}" on Interleave as ${role}.`,
      "",
      "Open this link to join (it works once):",
      link,
      "",
      `The link works until ${expiresAt.toUTCString()}.`,
      "If you didn't expect this invitation, you can ignore this mail.",
    ].join("\n"),
  };
}

/** A mail to one account: a greeting, what the link does, the link on a line of its own, then `after`. */
function accountLinkMail(name: string, subject: string, does: string, link: string, after: string[]): MailContent {
  return {
    subject,
    text: [`Hello ${oneLine(name)},`, "", `Open this link to ${does}:`, link, "", ...after].join("\n"),
  };
}

/** The link that confirms an account's email address (better-auth's verify-email URL). */
export function verificationMail({ name, link }: { name: string; link: string }): MailContent {
  return accountLinkMail(
    name,
    "Confirm your email address for Interleave",
    "confirm that this is your email address",
    link,
    ["The link works for 24 hours. If you didn't create an Interleave account, you can ignore this mail."],
  );
}

/** The link that sets a new password (better-auth's reset-password URL). */
export function resetPasswordMail({ name, link }: { name: string; link: string }): MailContent {
  return accountLinkMail(name, "Reset your Interleave password", "choose a new password", link, [
    "The link works once, for 1 hour. Setting a new password signs you out everywhere.",
    "If you didn't ask for this, you can ignore this mail: your password stays as it is.",
  ]);
}
