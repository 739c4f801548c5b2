import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on a free local port for the mail tests (smtp-server, from
 * nodemailer's authors): it asks for a user and password, refuses recipients at
 * `refused.example`, and keeps every mail it accepts, decoded enough to read.
 */

/** A mail the test server accepted: envelope recipients, Subject and the plain-text body. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailbox {
  /** SMTP_URL for the app: smtp://user:password@127.0.0.1:<port> */
  url: string;
  /** the password in `url`, to check it appears nowhere else */
  password: string;
  received: ReceivedMail[];
  /** The first mail to `to` (waits up to 10 s for it to arrive). */
  waitFor(to: string, match?: (mail: ReceivedMail) => boolean): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** Soft line breaks and =XX escapes of a quoted-printable body, or a base64 one, undone (UTF-8). */
function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding !== "quoted-printable") return body;
  // a literal % is escaped first, so only the =XX escapes become bytes
  const escaped = body
    .replace(/=\r?\n/g, "")
    .replace(/%/g, "%25")
    .replace(/=([0-9A-F]{2})/gi, (_all, hex: string) => `%${hex}`);
  return decodeURIComponent(escaped);
}

/** Headers (unfolded, lower-case names) and the decoded body of a single-part mail. */
export function parseMail(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const text = decodeBody(raw.slice(split + 4), headers.get("content-transfer-encoding")?.toLowerCase());
  return { headers, text: text.replace(/\r\n/g, "\n") };
}

/** Starts the server; `close()` it after the tests. */
export async function startMailbox(): Promise<Mailbox> {
  const user = "interleave";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith("@refused.example")) {
        callback(Object.assign(new Error("No such mailbox here"), { responseCode: 550 }));
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const { headers, text } = parseMail(Buffer.concat(chunks).toString("utf8"));
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          subject: headers.get("subject") ?? "",
          text,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${user}:${password}@127.0.0.1:${port}`,
    password,
    received,
    async waitFor(to, match = () => true) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const mail = received.find((candidate) => candidate.to.includes(to) && match(candidate));
        if (mail) return mail;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} arrived`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first http(s) link in a mail's text. */
export function linkIn(mail: ReceivedMail): string {
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no link in the mail "${mail.subject}"`);
  return link;
}
