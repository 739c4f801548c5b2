import { expect, test } from "@playwright/test";
import { openNewSession, runStatus, setFault } from "./helpers";

const OUT = process.env.SHOTS_DIR ?? "/tmp/seams-ui-shots";
test.setTimeout(120_000);
for (const colorScheme of ["light", "dark"] as const) {
  test.describe(colorScheme, () => {
    test.use({ colorScheme, viewport: { width: 1400, height: 900 } });
    test("empty", async ({ page }) => {
      await openNewSession(page, "Write a sum function");
      await page.screenshot({ path: `${OUT}/${colorScheme}-empty.png`, animations: "disabled" });
    });
    test("long", async ({ page }) => {
      await openNewSession(page, "Implement an LRU cache benchmark");
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await expect(runStatus(page)).toContainText("Done", { timeout: 90_000 });
      await page.screenshot({ path: `${OUT}/${colorScheme}-long.png`, animations: "disabled" });
      await page.getByRole("tab", { name: /Diff/ }).click();
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${OUT}/${colorScheme}-long-diff.png`, animations: "disabled" });
    });
    test("error", async ({ page }) => {
      await openNewSession(page, "Write a sum function");
      await setFault(page, { type: "http", status: 429, times: 1 });
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await expect(page.getByRole("alert").filter({ hasText: "The run failed." })).toBeVisible({ timeout: 30_000 });
      await setFault(page, null);
      await page.screenshot({ path: `${OUT}/${colorScheme}-error.png`, animations: "disabled" });
    });
  });
}
