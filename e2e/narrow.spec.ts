import { expect, type Page, test } from "@playwright/test";
import { openNewSession } from "./helpers";

/**
 * A phone's width (390 px): the pages fit the window — nothing to scroll sideways — and the
 * header's workspace switcher and account menu are on the screen, where a guest finds
 * "create an account" and everyone finds sign-out.
 */
test.use({ viewport: { width: 390, height: 800 } });

async function expectFits(page: Page) {
  const menu = page.getByRole("navigation", { name: "Main" }).locator("summary");
  await expect(menu).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const box = await menu.boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
  await expect(page.getByRole("combobox", { name: "Workspace" })).toBeInViewport();
}

test("the home page and a session fit a phone's width, the account menu in reach", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByLabel("Coding task")).toBeVisible();
  await expectFits(page);
  await expect(page.getByRole("link", { name: "Interleave" })).toBeVisible();

  await openNewSession(page, `Narrow ${Date.now()}`);
  await expectFits(page);
  await page.getByRole("navigation", { name: "Main" }).locator("summary").click();
  await expect(page.getByRole("link", { name: /create an account/ })).toBeInViewport();
});
