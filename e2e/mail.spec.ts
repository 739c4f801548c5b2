import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { linkIn, type Mailbox, startMailbox } from "../test/smtp";
import { expectNoSeriousViolations } from "./axe";
import { SPARE_APP_PORT } from "./ports";
import { killServer, waitHealthy } from "./servers";
import { shoot } from "./team";

/**
 * Mail in the browser. The shared app has no SMTP_URL: invitations are links to copy and
 * the sign-in page has no "Forgot password?". A second app with SMTP_URL pointing at a
 * real SMTP server in this test (test/smtp.ts): an invitation says "Emailed to …" (or,
 * refused, why not, with the link) and, after a reload, "emailed <when>" (or "not mailed:
 * <why>") in the list; a guest claiming its account gets a confirmation mail whose link
 * confirms it, and "Forgot password?" → the mailed link → the reset page sets a password
 * that signs in.
 */

const BASE = `http://127.0.0.1:${SPARE_APP_PORT}`;

/** Screenshots of the page in light and dark (e2e/team.ts shoot), each held to the accessibility bar (e2e/axe.ts). */
async function shootAndCheck(page: Page, name: string, options?: { fullPage?: boolean }) {
  await shoot(page, name, options);
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(page);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("without SMTP_URL: invitations are links to copy, and there is no Forgot password?", async ({ page }) => {
  await page.goto("/settings");
  await expect(page.getByText("An invitation is a link: copy it and send it however you like.")).toBeVisible();
  await page.getByLabel("Email (optional, for your list)").fill("bob@example.com");
  await page.getByRole("button", { name: "Create link" }).click();
  await expect(page.getByLabel("Invitation link")).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByText(/Emailed to/)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Resend" })).toHaveCount(0);
  await shootAndCheck(page, "settings-invitations-no-smtp", { fullPage: true });

  await page.context().clearCookies();
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Forgot password?" })).toHaveCount(0);
  expect((await page.goto("/forgot-password"))?.status()).toBe(404);
});

test.describe("with SMTP_URL", () => {
  let mailbox: Mailbox;
  let server: ChildProcess | undefined;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    mailbox = await startMailbox();
    server = spawn("npx", ["next", "start", "-p", String(SPARE_APP_PORT), "-H", "127.0.0.1"], {
      detached: true,
      stdio: "ignore",
      env: {
        ...process.env,
        DATABASE_URL: "",
        DATA_DIR: mkdtempSync(path.join(tmpdir(), "interleave-mail-")),
        SMTP_URL: mailbox.url,
        MAIL_FROM: "Interleave <interleave@example.com>",
      },
    });
    await waitHealthy(BASE);
  });

  test.afterAll(async () => {
    if (server) await killServer(server);
    await mailbox?.close();
  });

  test("a password form sent before the page's JavaScript runs keeps the password out of the address", async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false });
    const page = await context.newPage();
    for (const [path, button] of [
      ["/sign-in", "Sign in"],
      ["/sign-up", "Create account"],
      ["/reset-password?token=made-up-token", "Set new password"],
    ] as const) {
      await page.goto(path);
      for (const field of await page.locator("input").all()) {
        const type = await field.getAttribute("type");
        await field.fill(type === "email" ? "ivy@example.com" : "secret password 9");
      }
      await page.getByRole("button", { name: button }).click();
      await page.waitForLoadState();
      expect(page.url(), path).not.toContain("secret");
    }
    await context.close();
  });

  test("an invitation is emailed, a refused one says why with its link; a claimed account confirms its email; a forgotten password is reset", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: BASE, storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();

    await page.goto("/settings");
    await page.getByLabel("Email (optional: the link is mailed there)").fill("bob@example.com");
    await page.getByRole("button", { name: "Invite" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Emailed to bob@example.com" })).toBeVisible();
    const invitation = await mailbox.waitFor("bob@example.com");
    expect(linkIn(invitation)).toMatch(new RegExp(`^${BASE}/invite/[A-Za-z0-9_-]{43}$`));
    await expect(page.getByRole("button", { name: "Resend" })).toHaveCount(1);
    await shootAndCheck(page, "settings-invitations-smtp", { fullPage: true });
    // stored: after a reload the list still says it was emailed, and when
    await page.reload();
    const bobRow = page.getByRole("listitem").filter({ hasText: "bob@example.com" });
    await expect(bobRow).toContainText("· emailed just now");
    await expect(page.getByText(/Emailed to/)).toHaveCount(0);
    await shootAndCheck(page, "settings-invitations-emailed-after-reload", { fullPage: true });

    await page.getByLabel("Email (optional: the link is mailed there)").fill("nobody@refused.example");
    await page.getByRole("button", { name: "Invite" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "The invitation was made" })).toContainText(
      "the mail to nobody@refused.example was not sent: The mail server refused the sender or the recipient's address (SMTP 550).",
    );
    await expect(page.getByLabel("Invitation link")).toHaveValue(/\/invite\//);
    await shootAndCheck(page, "settings-invitations-smtp-failed", { fullPage: true });
    await page.reload();
    // why it was not mailed is kept, with Resend beside it
    const refusedRow = page.getByRole("listitem").filter({ hasText: "nobody@refused.example" });
    await expect(refusedRow).not.toContainText("emailed");
    await expect(refusedRow).toContainText(
      "not mailed: The mail server refused the sender or the recipient's address (SMTP 550).",
    );
    await expect(refusedRow.getByRole("button", { name: "Resend" })).toBeVisible();
    await expect(bobRow).toContainText("· emailed just now");
    await expect(bobRow).not.toContainText("not mailed");
    await shootAndCheck(page, "settings-invitations-not-mailed-after-reload", { fullPage: true });

    // the guest claims its account: a confirmation mail, a banner until its link is opened
    await page.goto("/sign-up");
    await expect(page.getByText("We'll mail you a link to confirm your address.")).toBeVisible();
    await page.getByLabel("Name").fill("Ivy");
    await page.getByLabel("Email").fill("ivy@example.com");
    await page.getByLabel("Password").fill("first password 1");
    await page.getByRole("button", { name: "Create account" }).click();
    const banner = page.getByRole("region", { name: "Confirm your email" });
    await expect(banner).toContainText("ivy@example.com");
    await shootAndCheck(page, "verify-email-banner");
    const confirmation = await mailbox.waitFor("ivy@example.com", (mail) => mail.subject.includes("Confirm"));
    await page.goto(linkIn(confirmation));
    await expect(page.getByRole("heading", { name: "Email address confirmed" })).toBeVisible();
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Workspace settings" })).toBeVisible();
    await expect(banner).toHaveCount(0);

    // forgot password, from a browser that is not signed in
    const stranger = await browser.newContext({ baseURL: BASE, storageState: { cookies: [], origins: [] } });
    const signIn = await stranger.newPage();
    await signIn.goto("/sign-in");
    await expect(signIn.getByRole("link", { name: "Forgot password?" })).toBeVisible();
    await shootAndCheck(signIn, "sign-in-forgot-password");
    await signIn.getByRole("link", { name: "Forgot password?" }).click();
    await expect(signIn.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
    await signIn.getByLabel("Email").fill("ivy@example.com");
    await signIn.getByRole("button", { name: "Send reset link" }).click();
    await expect(signIn.getByRole("status")).toContainText("If ivy@example.com has an account");
    const reset = await mailbox.waitFor("ivy@example.com", (mail) => mail.subject.includes("Reset"));
    await signIn.goto(linkIn(reset));
    await expect(signIn.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await shootAndCheck(signIn, "reset-password");
    await signIn.getByLabel("New password", { exact: true }).fill("second password 2");
    await signIn.getByLabel("New password, again").fill("second password 2");
    await signIn.getByRole("button", { name: "Set new password" }).click();
    await expect(signIn.getByRole("status")).toContainText("Your password is changed");
    await signIn.getByRole("status").getByRole("link", { name: "Sign in" }).click();
    await signIn.getByLabel("Email").fill("ivy@example.com");
    await signIn.getByLabel("Password").fill("second password 2");
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await expect(signIn).toHaveURL(`${BASE}/`);
    await stranger.close();
    await context.close();
  });
});
