import { expect, test } from "@playwright/test";
import { openNewSession, rows, runStatus } from "./helpers";

/**
 * Model output with NUL and lone surrogates (the emulator's `unstorable` scenario) is
 * stored and shown with visible markers, live and after a reload, without a hydration
 * mismatch between the server's render and the browser's.
 */

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} mode`, () => {
    test.use({ colorScheme });
    test(`NUL and lone surrogates in model output show as ␀ and � (${colorScheme})`, async ({ page }, testInfo) => {
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      await openNewSession(page, "Odd characters [emulator:scenario=unstorable]");
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
      await expect(rows(page, /Thinking/).first()).toContainText("before␀after");

      await page.reload();
      await expect(page.getByText("Live", { exact: true })).toBeVisible();
      await expect(rows(page, /Thinking/).first()).toContainText("before␀after");
      await expect(rows(page, /Thinking/).nth(1)).toContainText("high surrogate � and a lone low one �");
      await expect(rows(page, /Response/)).toContainText("Done: ␀ and � end here.");
      await page.screenshot({
        path: testInfo.outputPath(`unstorable-${colorScheme}.png`),
        fullPage: true,
        animations: "disabled",
      });
      expect(problems.filter((text) => /hydrat|did not match/i.test(text))).toEqual([]);
    });
  });
}
