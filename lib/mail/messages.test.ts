import { expect, test } from "vitest";
import { invitationMail, resetPasswordMail, verificationMail } from "./messages";

test("an invitation names who, where and which role, carries the link, and keeps the subject on one line", () => {
  const mail = invitationMail({
    workspaceName: "Team\r\nBcc: x@evil.example",
    role: "member",
    inviter: "Ana",
    link: "https://interleave.example.com/invite/abc",
    expiresAt: new Date("2026-12-08T10:00:00Z"),
  });
  expect(mail.subject).toBe("Ana invited you to Team Bcc: x@evil.example on Interleave");
  expect(mail.subject).not.toMatch(/[\r\n]/);
  expect(mail.text).toContain("as member");
  expect(mail.text).toContain("\nhttps://interleave.example.com/invite/abc\n");
  expect(mail.text).toContain("Tue, 08 Dec 2026 10:00:00 GMT");
  expect(
    invitationMail({ workspaceName: "W", role: "viewer", inviter: null, link: "l", expiresAt: new Date(0) }).subject,
  ).toBe("Someone invited you to W on Interleave");
});

test("verification and reset mails carry their link", () => {
  expect(verificationMail({ name: "Ada", link: "https://x/api/auth/verify-email?token=t" }).text).toContain(
    "\nhttps://x/api/auth/verify-email?token=t\n",
  );
  const reset = resetPasswordMail({ name: "Ada", link: "https://x/api/auth/reset-password/t" });
  expect(reset.subject).toBe("Reset your Interleave password");
  expect(reset.text).toContain("\nhttps://x/api/auth/reset-password/t\n");
});
