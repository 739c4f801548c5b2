import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as authRoute from "@/app/api/auth/[...all]/route";
import * as acceptRoute from "@/app/api/invitations/accept/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import * as resendRoute from "@/app/api/workspace/invitations/[invitationId]/resend/route";
import * as invitationsRoute from "@/app/api/workspace/invitations/route";
import { describeInvitation } from "@/lib/auth/members";
import { getPrisma } from "@/lib/db/client";
import { callRoute } from "../api";
import { accountCookie, authPost, guestCookie } from "../auth";
import { linkIn, type Mailbox, startMailbox } from "../smtp";

/**
 * Mail through a real SMTP server (test/smtp.ts, on a free port, with a user and
 * password): invitations mailed to their address (a refused recipient leaves the
 * invitation and says why, never a 500 or the password), resending, email verification at
 * sign-up (a guest claiming its account keeps its sessions), the password reset end to
 * end, and invitations addressed to an email needing that confirmed email.
 */

let mailbox: Mailbox;
let owner = "";

beforeAll(async () => {
  mailbox = await startMailbox();
  // read on first use (lib/env.ts), which comes after this
  process.env.SMTP_URL = mailbox.url;
  process.env.MAIL_FROM = "Interleave <interleave@example.com>";
  owner = await guestCookie();
}, 60_000);

afterAll(async () => {
  await mailbox.close();
});

const invite = (body: unknown, cookie = owner) => callRoute(invitationsRoute.POST, { method: "POST", cookie, body });

/** GETs /api/auth/<path> with `cookie`: the status and the JSON body. */
async function authGet(path: string, cookie: string) {
  const response = await authRoute.GET(new Request(`http://localhost/api/auth/${path}`, { headers: { cookie } }), {
    params: Promise.resolve({ all: path.split("/") }),
  });
  return { status: response.status, json: await response.json() };
}

/** GETs a mailed better-auth link as a browser opening it would (no cookie). */
function open(link: string) {
  const url = new URL(link);
  return authRoute.GET(new Request(`http://localhost${url.pathname}${url.search}`), {
    params: Promise.resolve({ all: url.pathname.split("/").slice(3) }),
  });
}

describe("invitations by mail", () => {
  test("an invitation with an email is mailed there: recipient, link, and the link is the invitation's", async () => {
    const created = await invite({ role: "member", email: "bob@example.com" });
    expect(created.status).toBe(201);
    expect(created.json.mail).toEqual({ sent: true, to: "bob@example.com" });
    const mail = await mailbox.waitFor("bob@example.com");
    expect(mail.subject).toMatch(/invited you to .* on Interleave/);
    expect(mail.text).toContain("as member");
    expect(linkIn(mail)).toBe(`http://localhost${created.json.path}`);
    expect(await describeInvitation(created.json.path.split("/").pop())).toMatchObject({
      role: "member",
      email: "bob@example.com",
    });
    // stored: the list says when it was mailed, after any reload
    const mailedAt = created.json.invitation.mailedAt;
    expect(Date.now() - Date.parse(mailedAt)).toBeLessThan(60_000);
    const list = await callRoute(invitationsRoute.GET, { cookie: owner });
    expect(list.json.invitations).toContainEqual(expect.objectContaining({ id: created.json.invitation.id, mailedAt }));
  });

  test("without an email nothing is mailed; a malformed email is a 400 naming the field", async () => {
    const before = mailbox.received.length;
    const created = await invite({ role: "viewer" });
    expect(created.status).toBe(201);
    expect(created.json.mail).toEqual({ sent: false, reason: "no_email" });
    expect(created.json.invitation.mailedAt).toBeNull();
    const bad = await invite({ role: "member", email: "bob at example" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain("email must be an email address");
    expect(mailbox.received.length).toBe(before);
  });

  test("a refused recipient: the invitation exists, the answer says why the mail was not sent, never the password", async () => {
    const created = await invite({ role: "member", email: "nobody@refused.example" });
    expect(created.status).toBe(201);
    expect(created.json.mail).toEqual({
      sent: false,
      reason: "failed",
      to: "nobody@refused.example",
      message: "The mail server refused the sender or the recipient's address (SMTP 550).",
    });
    expect(created.json.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(created.json)).not.toContain(mailbox.password);
    // stored, so the list says why after a reload, never with the password
    const failure = "The mail server refused the sender or the recipient's address (SMTP 550).";
    expect(created.json.invitation).toMatchObject({ mailedAt: null, mailError: failure });
    const list = await callRoute(invitationsRoute.GET, { cookie: owner });
    expect(list.json.invitations).toContainEqual(
      expect.objectContaining({ id: created.json.invitation.id, status: "open", mailedAt: null, mailError: failure }),
    );
    expect(JSON.stringify(list.json)).not.toContain(mailbox.password);
  });

  test("Resend mails a new link; the old one stops working", async () => {
    const created = await invite({ role: "admin", email: "carla@example.com" });
    await mailbox.waitFor("carla@example.com");
    // as an earlier failed mail leaves it: the resend that goes out clears it
    const prisma = await getPrisma();
    await prisma.invitation.update({ where: { id: created.json.invitation.id }, data: { mailError: "earlier" } });
    const resent = await callRoute(resendRoute.POST, {
      method: "POST",
      cookie: owner,
      params: { invitationId: created.json.invitation.id },
    });
    expect(resent.status).toBe(200);
    expect(resent.json.mail).toEqual({ sent: true, to: "carla@example.com" });
    expect(resent.json.invitation.mailError).toBeNull();
    expect(resent.json.path).not.toBe(created.json.path);
    await mailbox.waitFor("carla@example.com", (mail) => linkIn(mail).endsWith(resent.json.path));
    expect(await describeInvitation(created.json.path.split("/").pop())).toBeNull();
    expect(await describeInvitation(resent.json.path.split("/").pop())).not.toBeNull();
    expect(Date.parse(resent.json.invitation.mailedAt)).toBeGreaterThanOrEqual(
      Date.parse(created.json.invitation.mailedAt),
    );
    const unknown = await callRoute(resendRoute.POST, {
      method: "POST",
      cookie: owner,
      params: { invitationId: "no-such-invitation" },
    });
    expect(unknown.status).toBe(404);
  });
});

describe("invitation mail limits", () => {
  test("a new link that could not be mailed is not 'emailed': the mail of the old link no longer counts", async () => {
    const sender = await guestCookie();
    const created = await invite({ role: "member", email: "erin@example.com" }, sender);
    expect(created.json.invitation.mailedAt).not.toBeNull();
    const resend = () =>
      callRoute(resendRoute.POST, {
        method: "POST",
        cookie: sender,
        params: { invitationId: created.json.invitation.id },
      });
    // the address's third mail this minute goes out; the fourth is over its limit
    for (let i = 0; i < 2; i++) expect((await resend()).json.invitation.mailedAt).not.toBeNull();
    const refused = await resend();
    expect(refused.json.mail).toMatchObject({ sent: false, reason: "failed" });
    expect(refused.json.invitation.mailedAt).toBeNull();
    // what stays says why without a countdown that a reload would make stale
    const limited = "too many invitation mails in one minute; try Resend.";
    const list = await callRoute(invitationsRoute.GET, { cookie: sender });
    expect(list.json.invitations).toEqual([
      expect.objectContaining({ id: created.json.invitation.id, mailedAt: null, mailError: limited }),
    ]);
  });

  test("one address gets at most 3 invitation mails a minute, one sender sends at most 10: then the invitation is made, not mailed, and says why", async () => {
    const sender = await guestCookie();
    const other = await guestCookie();
    const before = mailbox.received.length;
    for (let i = 0; i < 3; i++) {
      const sent = await invite({ role: "viewer", email: "flood@example.com" }, i === 1 ? other : sender);
      expect(sent.json.mail).toEqual({ sent: true, to: "flood@example.com" });
    }
    const fourth = await invite({ role: "viewer", email: "FLOOD@example.com" }, other);
    expect(fourth.status).toBe(201);
    expect(fourth.json.mail).toMatchObject({ sent: false, reason: "failed" });
    expect(fourth.json.mail.message).toMatch(
      /was sent 3 invitations in the last minute, the most allowed: Resend in \d+ s\./,
    );
    expect(fourth.json.path).toMatch(/^\/invite\//);

    for (let i = 0; i < 8; i++) {
      const sent = await invite({ role: "viewer", email: `spam${i}@example.com` }, sender);
      expect(sent.json.mail.sent).toBe(true);
    }
    const eleventh = await invite({ role: "viewer", email: "spam-last@example.com" }, sender);
    expect(eleventh.json.mail.sent).toBe(false);
    expect(eleventh.json.mail.message).toMatch(/^You mailed 10 invitations in the last minute, the most allowed/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.received.length - before).toBe(11);
  });
});

describe("email verification and password reset", () => {
  test("a guest claiming its account gets a verification mail, keeps its sessions, and the link confirms the address", async () => {
    const guest = await guestCookie();
    const made = await callRoute(sessionsRoute.POST, { method: "POST", cookie: guest, body: { task: "Keep me" } });
    expect(made.status).toBe(201);
    const cookie = await accountCookie("dora@example.com", "correct horse battery", guest);
    const listed = await callRoute(sessionsRoute.GET, { cookie });
    expect(JSON.stringify(listed.json)).toContain(made.json.session.id);

    const mail = await mailbox.waitFor("dora@example.com", (candidate) => candidate.subject.includes("Confirm"));
    const link = linkIn(mail);
    expect(link).toMatch(/^http:\/\/localhost\/api\/auth\/verify-email\?token=.+&callbackURL=%2Fverify-email$/);
    const prisma = await getPrisma();
    const user = () => prisma.user.findFirstOrThrow({ where: { email: "dora@example.com" } });
    expect((await user()).emailVerified).toBe(false);
    const opened = await open(link);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe("/verify-email");
    expect((await user()).emailVerified).toBe(true);
  });

  test("forgot password: the mailed link resets it, the old password stops working, every sign-in ends", async () => {
    const oldCookie = await accountCookie("erik@example.com", "first password 1");
    const asked = await authPost("request-password-reset", {
      email: "erik@example.com",
      redirectTo: "/reset-password",
    });
    expect(asked.status).toBe(200);
    const mail = await mailbox.waitFor("erik@example.com", (candidate) => candidate.subject.includes("Reset"));
    const opened = await open(linkIn(mail));
    expect(opened.status).toBe(302);
    const landing = new URL(opened.headers.get("location") ?? "", "http://localhost");
    expect(landing.pathname).toBe("/reset-password");
    const token = landing.searchParams.get("token");
    expect(token).toBeTruthy();

    const reset = await authPost("reset-password", { newPassword: "second password 2", token });
    expect(reset.status).toBe(200);
    expect((await authPost("sign-in/email", { email: "erik@example.com", password: "first password 1" })).status).toBe(
      401,
    );
    expect((await authPost("sign-in/email", { email: "erik@example.com", password: "second password 2" })).status).toBe(
      200,
    );
    expect((await callRoute(sessionsRoute.GET, { cookie: oldCookie })).status).toBe(401);
    // the link works once
    expect((await authPost("reset-password", { newPassword: "third password 3", token })).status).toBe(400);
  });

  test("bad input to the mail endpoints is a clear 400: a malformed address, a too short new password, a made-up token", async () => {
    const malformed = await authPost("request-password-reset", {
      email: "erik at example",
      redirectTo: "/reset-password",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe("bad_request:auth");
    expect(malformed.json.error.message).toMatch(/email/i);
    const short = await authPost("reset-password", { newPassword: "short", token: "made-up-token" });
    expect(short.status).toBe(400);
    expect(short.json.error.message).toMatch(/too short/i);
    const madeUp = await authPost("reset-password", { newPassword: "long enough password", token: "made-up-token" });
    expect(madeUp.status).toBe(400);
    expect(madeUp.json.error.details.authCode).toBe("INVALID_TOKEN");
  });

  test("an address gets at most 3 account mails a minute, however many clients ask; each asker gets the same answer", async () => {
    await accountCookie("gus@example.com");
    await mailbox.waitFor("gus@example.com", (mail) => mail.subject.includes("Confirm"));
    for (let i = 0; i < 4; i++) {
      // authPost: each call comes from an address of its own, so better-auth's per-client limit never stops them
      const asked = await authPost("request-password-reset", {
        email: "gus@example.com",
        redirectTo: "/reset-password",
      });
      expect(asked.status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailbox.received.filter((mail) => mail.to.includes("gus@example.com"))).toHaveLength(3);
  });

  test("a guest asking for its verification mail gets none: its placeholder address (.invalid) can't be reached", async () => {
    const guest = await guestCookie();
    const session = await authGet("get-session", guest);
    const email: string = session.json.user.email;
    expect(email).toMatch(/\.invalid$/);
    const before = mailbox.received.length;
    const asked = await authPost("send-verification-email", { email, callbackURL: "/verify-email" }, guest);
    expect(asked.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailbox.received.length).toBe(before);
  });

  test("a reset for an address without an account answers the same and mails nothing", async () => {
    const before = mailbox.received.length;
    const asked = await authPost("request-password-reset", {
      email: "nobody@example.com",
      redirectTo: "/reset-password",
    });
    expect(asked.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.received.length).toBe(before);
  });

  test("an invitation addressed to an email is accepted only by that address, once confirmed", async () => {
    const created = await invite({ role: "member", email: "fay@example.com" });
    const token = created.json.path.split("/").pop();
    const accept = (cookie: string) => callRoute(acceptRoute.POST, { method: "POST", cookie, body: { token } });

    const someoneElse = await accept(await guestCookie());
    expect(someoneElse.status).toBe(403);
    expect(someoneElse.json.error.code).toBe("forbidden:invitation_email");
    const fay = await accountCookie("fay@example.com");
    const unconfirmed = await accept(fay);
    expect(unconfirmed.status).toBe(403);
    expect(unconfirmed.json.error.message).toMatch(/^Confirm fay@example.com first/);

    const verification = await mailbox.waitFor("fay@example.com", (mail) => mail.subject.includes("Confirm"));
    expect((await open(linkIn(verification))).status).toBe(302);
    const accepted = await accept(fay);
    expect(accepted.status).toBe(200);
    expect(accepted.json.workspace.role).toBe("member");
  });
});
