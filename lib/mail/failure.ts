/**
 * Why a mail was not sent, in words safe to show and log: built from the mail library's
 * error code and the server's SMTP reply code only — never the error's message, the
 * command in flight or the server's reply text (which can echo addresses), and never
 * SMTP_URL, whose credentials stay out of every log line and response. Pure.
 */
export function mailFailure(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const smtp = typeof responseCode === "number" ? ` (SMTP ${responseCode})` : "";
  switch (code) {
    case "EAUTH":
    case "ENOAUTH":
      return `The mail server refused to sign in: check the user and password in SMTP_URL${smtp}.`;
    case "ECONNECTION":
    case "ESOCKET":
    case "EDNS":
    case "ETIMEDOUT":
      return "The mail server could not be reached: check the host and port in SMTP_URL.";
    case "ETLS":
      return "The secure connection to the mail server failed: try smtps:// for port 465, smtp:// for 587 or 25.";
    case "EENVELOPE":
      return `The mail server refused the sender or the recipient's address${smtp}.`;
    default:
      return `The mail server did not accept the mail${smtp}.`;
  }
}
