import { expect, type Page, test } from "@playwright/test";

/**
 * Presence (issue 12 item 5), as two people of one workspace meet it: each sees the other
 * arrive on the session's page, sees which step the other selects, and sees them leave —
 * live, in two browser contexts. Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

async function shoot(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `test-results/screens/${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("two people on one session see each other, and the step each has selected, live", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // the owner (a guest) invites a member
  await page.goto("/settings");
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();
  const created = await page.request.post("/api/sessions", { data: { task: "Presence: write fizzbuzz" } });
  expect(created.status()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string } };

  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const second = await other.newPage();
  await second.goto(link);
  await second.getByRole("link", { name: "Continue as a guest" }).click();
  await second.getByRole("button", { name: /Join .* as member/ }).click();
  await expect(second.getByText("Presence: write fizzbuzz")).toBeVisible();

  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Also viewing/ })).toHaveCount(0);
  await second.goto(`/s/${session.id}`);
  await expect(second.getByText("Live", { exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: "Also viewing: Guest" })).toBeVisible();
  await expect(second.getByRole("img", { name: "Also viewing: Guest" })).toBeVisible();

  // the second person selects the task step: the owner sees their face on it
  await second.getByRole("listitem", { name: /^Step 1:/ }).click();
  const marked = page.getByRole("listitem", { name: /^Step 1:/ }).getByRole("img", { name: "Selected by Guest" });
  await expect(marked).toBeVisible();
  await shoot(page, "presence");

  // they leave: gone from the owner's page
  await other.close();
  await expect(page.getByRole("img", { name: /^Also viewing/ })).toHaveCount(0);
  await expect(marked).toHaveCount(0);
});
