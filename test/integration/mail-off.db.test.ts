import { afterAll, beforeAll, expect, test } from "vitest";
import * as acceptRoute from "@/app/api/invitations/accept/route";
import * as invitationsRoute from "@/app/api/workspace/invitations/route";
import { callRoute } from "../api";
import { accountCookie, authPost, guestCookie } from "../auth";
import { type Mailbox, startMailbox } from "../smtp";

/**
 * Without SMTP_URL (the default) everything works as before mail: an invitation with an
 * email answers `mail: { sent: false, reason: "no_smtp" }` with its link to copy, and
 * anyone with the link accepts it; better-auth's verification and reset endpoints are
 * off (400); a mail server running nearby receives nothing.
 */

process.env.SMTP_URL = "";
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
});

afterAll(async () => {
  await mailbox.close();
});

test("without SMTP_URL an invitation is a link to copy, accepted by whoever has it, and nothing is mailed", async () => {
  const owner = await guestCookie();
  const created = await callRoute(invitationsRoute.POST, {
    method: "POST",
    cookie: owner,
    body: { role: "member", email: "gil@example.com" },
  });
  expect(created.status).toBe(201);
  expect(created.json.mail).toEqual({ sent: false, reason: "no_smtp" });
  expect(created.json.invitation.mailedAt).toBeNull();
  expect(created.json.path).toMatch(/^\/invite\//);
  const someone = await accountCookie("hal@example.com");
  const accepted = await callRoute(acceptRoute.POST, {
    method: "POST",
    cookie: someone,
    body: { token: created.json.path.split("/").pop() },
  });
  expect(accepted.status).toBe(200);

  const reset = await authPost("request-password-reset", { email: "hal@example.com", redirectTo: "/reset-password" });
  expect(reset.status).toBe(400);
  const verify = await authPost("send-verification-email", { email: "hal@example.com" }, someone);
  expect(verify.status).toBe(400);
  expect(mailbox.received).toEqual([]);
});
