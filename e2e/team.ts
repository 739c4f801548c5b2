import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";

/** The page in light and dark mode, as test-results/screens/<name>-<scheme>.png, for a person to look at. */
export async function shoot(page: Page, name: string, { fullPage = false }: { fullPage?: boolean } = {}) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    // animations: "disabled" ends the colours' transition into the scheme, which a shot would catch halfway
    await page.screenshot({
      path: `test-results/screens/${name}-${colorScheme}.png`,
      fullPage,
      animations: "disabled",
    });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/**
 * Two people of one workspace on one session: the owner (`page`, a guest with a workspace
 * of its own) makes an invitation link for `role` in Settings and a session with `task`;
 * a second person opens the link in a browser context of their own, continues as a guest
 * and joins. Returns the session's id and the second person's page (close `other` to make
 * them leave).
 */
export async function teamOnSession(
  page: Page,
  browser: Browser,
  { role, task }: { role: "admin" | "member" | "viewer"; task: string },
): Promise<{ sessionId: string; second: Page; other: BrowserContext }> {
  await page.goto("/settings");
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();
  const created = await page.request.post("/api/sessions", { data: { task } });
  expect(created.status()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string } };

  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const second = await other.newPage();
  await second.goto(link);
  await second.getByRole("link", { name: "Continue as a guest" }).click();
  await second.getByRole("button", { name: new RegExp(`Join .* as ${role}`) }).click();
  // joined once the workspace's sessions show
  await expect(second.getByText(task)).toBeVisible();
  return { sessionId: session.id, second, other };
}
