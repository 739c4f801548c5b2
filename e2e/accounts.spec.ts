import { expect, type Page, test } from "@playwright/test";
import { runStatus } from "./helpers";

/**
 * Accounts as a newcomer meets them: a first visit is a guest with no form; the guest
 * claims an account and keeps its sessions; an invitation link brings a second person
 * into the workspace. Every new page is photographed in light and dark
 * (test-results/screens/), for a person to look at.
 */

test.use({ storageState: { cookies: [], origins: [] } });

async function shoot(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({
      path: `test-results/screens/${name}-${colorScheme}.png`,
      fullPage: true,
      animations: "disabled",
    });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("a guest claims an account and keeps its sessions; an invitation link brings in a second person", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  const menu = page.locator("summary", { hasText: "Guest" });
  await expect(menu).toBeVisible();
  const created = await page.request.post("/api/sessions", { data: { task: "A guest's fizzbuzz" } });
  expect(created.status()).toBe(201);
  await page.reload();
  await expect(page.getByText("A guest's fizzbuzz")).toBeVisible();

  await menu.click();
  await page.getByRole("link", { name: "Keep your work: create an account" }).click();
  await expect(page.getByRole("heading", { name: "Keep your work" })).toBeVisible();
  await shoot(page, "claim");
  const email = `ada-${Date.now()}@example.com`;
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("summary", { hasText: "Ada" })).toBeVisible();
  await expect(page.getByText("A guest's fizzbuzz")).toBeVisible();

  // signed out and in again, the session is still the account's
  await page.locator("summary", { hasText: "Ada" }).click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await shoot(page, "sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText(
    "Invalid email or password",
  );
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("A guest's fizzbuzz")).toBeVisible();

  // settings: an invitation link to copy
  await page.goto("/settings");
  await expect(page.getByRole("listitem", { name: "Ada, owner" })).toBeVisible();
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await shoot(page, "settings");

  // a second person opens it as a guest and joins as a viewer
  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const second = await other.newPage();
  await second.goto(link);
  await expect(second.getByRole("heading", { name: /^Join / })).toBeVisible();
  await shoot(second, "invite");
  await second.getByRole("link", { name: "Continue as a guest" }).click();
  await second.getByRole("button", { name: /Join .* as viewer/ }).click();
  await expect(second.getByText("A guest's fizzbuzz")).toBeVisible();
  await expect(second.getByLabel("Workspace", { exact: true })).toContainText("(viewer)");
  await other.close();

  await page.reload();
  await expect(page.getByRole("listitem", { name: "Guest, viewer" })).toBeVisible();
  await expect(page.getByText(/viewer · accepted/)).toBeVisible();
});

test("who did what: the timeline, the run and the branch list name the people who made them", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // Ada: a guest who claims an account, with a session
  await page.goto("/");
  const created = await page.request.post("/api/sessions", { data: { task: "Fizzbuzz for two" } });
  expect(created.status()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string; activeLeafId: string } };
  await page.locator("summary", { hasText: "Guest" }).click();
  await page.getByRole("link", { name: "Keep your work: create an account" }).click();
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Email").fill(`ada-names-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("summary", { hasText: "Ada" })).toBeVisible();
  await page.goto("/settings");
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();

  // Grace: a guest who claims an account, then joins as a member and edits the task
  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const second = await other.newPage();
  await second.goto("/");
  await second.locator("summary", { hasText: "Guest" }).click();
  await second.getByRole("link", { name: "Keep your work: create an account" }).click();
  await second.getByLabel("Name").fill("Grace");
  await second.getByLabel("Email").fill(`grace-names-${Date.now()}@example.com`);
  await second.getByLabel("Password").fill("correct horse battery");
  await second.getByRole("button", { name: "Create account" }).click();
  await expect(second.locator("summary", { hasText: "Grace" })).toBeVisible();
  await second.goto(link);
  await second.getByRole("button", { name: /Join .* as member/ }).click();
  await expect(second.getByText("Fizzbuzz for two")).toBeVisible();
  const edited = await second.request.post(`/api/sessions/${session.id}/steps/${session.activeLeafId}/edit`, {
    data: { content: "Fizzbuzz for two, in Python" },
  });
  expect(edited.status()).toBe(201);
  await other.close();

  // Ada opens the session (Grace's edit is the branch on screen) and runs it
  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  const task = page.getByRole("listitem", { name: /^Step 1: / });
  await expect(task.getByTestId("step-author")).toHaveText("by Grace");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("started by Ada");
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
  await page.getByRole("listitem", { name: /^Step 1: / }).scrollIntoViewIfNeeded();
  await shoot(page, "who-did-what-timeline");
  await page.getByRole("button", { name: "Branches (2)" }).click();
  const branches = page.getByRole("dialog", { name: "Branches" });
  await expect(branches.getByText("edited by Grace")).toBeVisible();
  await expect(branches.getByText("by the model")).toBeVisible();
  await shoot(page, "who-did-what");
});
