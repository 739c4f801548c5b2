import "server-only";
import { createTransport, type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { countAgainstLimit } from "@/lib/http/rate-limit";
import { processState } from "@/lib/process-state";
import { mailFailure } from "./failure";
import type { MailContent } from "./messages";

/**
 * Outgoing mail (issue 8: SMTP is optional), through nodemailer over SMTP_URL. Without
 * SMTP_URL nothing here connects anywhere: `mailEnabled()` is false and every caller
 * keeps its no-mail behaviour (invitation links to copy; no verification or reset).
 */

/** How long a send may wait for the server before it fails, in milliseconds. */
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;

/** A mail that was not sent; `message` is safe to show and log (lib/mail/failure.ts). */
export class MailError extends Error {}

/** Whether this instance sends mail (SMTP_URL is set). */
export function mailEnabled(): boolean {
  return env().SMTP_URL !== undefined;
}

function transporter(): Transporter {
  const { SMTP_URL, MAIL_FROM } = env();
  if (!SMTP_URL || !MAIL_FROM) throw new MailError("This instance sends no mail: SMTP_URL is not set.");
  const state = processState();
  state.mailer ??= createTransport(
    {
      url: SMTP_URL,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      // nodemailer's own logging is off: a debug log would carry the AUTH exchange
      logger: false,
      debug: false,
    },
    { from: MAIL_FROM },
  );
  return state.mailer;
}

/**
 * Sends one plain-text mail to `to` and resolves once the server accepted it. Throws
 * MailError with a safe sentence (the server's codes only, never SMTP_URL or its reply)
 * when SMTP_URL is unset or the server refuses or can't be reached.
 */
export async function sendMail(to: string, { subject, text }: MailContent): Promise<void> {
  const mailer = transporter();
  try {
    await mailer.sendMail({ to, subject, text });
  } catch (error) {
    throw new MailError(mailFailure(error));
  }
}

/**
 * Whether `address` is in a reserved `.invalid` domain (RFC 2606), which no mail can reach:
 * a guest's placeholder address (better-auth's anonymous plugin) is one, and a guest may ask
 * for its verification mail. Pure.
 */
function undeliverable(address: string): boolean {
  return /\.invalid\.?$/i.test(address.split("@").pop() ?? "");
}

/**
 * Account mails (verification and reset together) one address may be sent per minute.
 * better-auth's own limit counts per client address, which a client served directly
 * chooses (X-Forwarded-For) and many clients share behind no proxy: this one holds
 * whoever asks, so nobody floods an inbox.
 */
export const ACCOUNT_MAILS_PER_ADDRESS = 3;

/**
 * Sends without waiting (for better-auth's verification and reset mails: a reply that
 * waited for the mail server would take longer for an address with an account than for
 * one without, telling which emails exist). Past ACCOUNT_MAILS_PER_ADDRESS to `to` in a
 * minute (per instance) the mail is dropped, the reply unchanged; so is one to an
 * undeliverable address (a guest's placeholder). A failure or a drop is
 * logged as `[mail] <what>: <why>`, without the address or any credential.
 */
export function sendInBackground(what: string, to: string, content: MailContent): void {
  if (undeliverable(to)) return;
  const limit = countAgainstLimit({ limit: "account-mails", key: to.toLowerCase(), max: ACCOUNT_MAILS_PER_ADDRESS });
  if (!limit.allowed) {
    console.error(`[mail] ${what}: not sent, the address had ${ACCOUNT_MAILS_PER_ADDRESS} mails in the last minute.`);
    return;
  }
  sendMail(to, content).catch((error: unknown) => {
    console.error(`[mail] ${what}: ${error instanceof MailError ? error.message : mailFailure(error)}`);
  });
}
