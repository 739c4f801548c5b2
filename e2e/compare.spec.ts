import { expect, test } from "@playwright/test";
import { startComparison } from "./helpers";
import { shoot } from "./team";

/**
 * Compare in the browser: one task on MiniMax-M2 (the wire emulator) and Claude (the
 * Anthropic wire stand-in, a second provider through @ai-sdk/anthropic), started from the
 * new-session form; the numbers table, the differences and the timelines side by side.
 */

test("two models on one task: a table of numbers, the differences, and the timelines side by side", async ({
  page,
}) => {
  const table = await startComparison(page);
  const minimax = table.getByRole("row", { name: /MiniMax-M2/ });
  const claude = table.getByRole("row", { name: /claude-sonnet-4-5/ });
  // MiniMax-M2's sum scenario takes 4 turns, the stand-in's tool loop 2
  await expect(minimax.getByRole("cell").nth(1)).toHaveText("4");
  await expect(claude.getByRole("cell").nth(1)).toHaveText("2");
  // both routes report only output tokens: reasoning is an estimate, marked, never 0
  await expect(minimax).toContainText(/~\d+/);
  await expect(claude).toContainText(/~\d+/);
  await expect(minimax).toContainText("$");
  // no test run yet on either branch
  await expect(claude.getByRole("cell").last()).toHaveText("—");

  const differences = page.getByRole("list", { name: "Differences" });
  await expect(differences).toContainText(/claude-sonnet-4-5: [−+±]\d+ % tokens, .*\+?−?50 % turns vs MiniMax-M2/);
  await page.getByLabel("against").selectOption({ label: "claude-sonnet-4-5" });
  await expect(differences).toContainText(/MiniMax-M2: .*\+100 % turns vs claude-sonnet-4-5/);

  const sideBySide = page.getByTestId("side-by-side");
  const turnOne = sideBySide.locator('[data-turn="1"]');
  await expect(turnOne.getByRole("article", { name: "Thinking" })).toHaveCount(2);
  await expect(turnOne.getByRole("article", { name: "write_file" })).toHaveCount(2);
  await expect(sideBySide.locator('[data-turn="4"]').getByRole("article", { name: "Response" })).toHaveCount(1);

  // each model's run is a session of its own, one click away
  await minimax.getByRole("link", { name: "MiniMax-M2" }).click();
  await expect(page).toHaveURL(/\/s\//);
});

test("one provider failing mid-stream: its row says why, and no numbers are compared with its cut-off run", async ({
  page,
}) => {
  await page.goto("/");
  // the emulator drops MiniMax's stream after 5 events; the Claude stand-in answers in full
  await page.getByLabel("Coding task").fill("Write a sum function with tests [emulator:fault=drop@5]");
  await page.getByLabel(/Compare models/).check();
  await page.getByRole("checkbox", { name: "claude-sonnet-4-5", exact: true }).check();
  await page.getByRole("button", { name: /Compare 2 models/ }).click();
  const table = page.getByRole("table", { name: "Numbers per model" });
  const minimax = table.getByRole("row", { name: /MiniMax-M2/ });
  await expect(minimax).toContainText("failed", { timeout: 45_000 });
  await expect(minimax).toContainText("The connection to MiniMax ended before the reply was complete.");
  await expect(table.getByRole("row", { name: /claude-sonnet-4-5/ })).toContainText("done", { timeout: 45_000 });
  const differences = page.getByRole("list", { name: "Differences" });
  await expect(differences).toHaveText("claude-sonnet-4-5: Nothing to compare: MiniMax-M2's run failed");
  await page.getByLabel("against").selectOption({ label: "claude-sonnet-4-5" });
  await expect(differences).toHaveText("MiniMax-M2: Nothing to compare: its run failed");
  await page.setViewportSize({ width: 1400, height: 900 });
  await shoot(page, "compare-provider-failed");
});

test("picking one model is refused with a reason", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Coding task").fill("Write a sum function");
  await page.getByLabel(/Compare models/).check();
  await page.getByRole("button", { name: /Compare 1 model$/ }).click();
  await expect(page.getByText("Pick at least 2 models to compare.")).toBeVisible();
  await page.screenshot({ path: "test-results/compare-form.png", fullPage: true, animations: "disabled" });
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`screenshot of a finished comparison (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 1400, height: 1100 });
    await startComparison(page);
    await page.screenshot({ path: `test-results/compare-${colorScheme}.png`, fullPage: true, animations: "disabled" });
  });
}
