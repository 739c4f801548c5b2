import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { openNewSession, runStatus, startComparison } from "./helpers";

/**
 * Accessibility, checked by axe-core on every page in light and dark mode. The bar is
 * zero serious or critical violations of WCAG 2.1 A/AA, plus axe's "label in name" rule
 * (a control's accessible name contains its visible text, WCAG 2.5.3), which axe ships
 * as experimental and so must be enabled by name.
 */

const BLOCKING = new Set(["serious", "critical"]);

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "experimental"])
    .exclude(".monaco-editor")
    .analyze();
  const blocking = results.violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ""))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => `${node.target.join(" ")} — ${node.failureSummary}`),
    }));
  expect(blocking, JSON.stringify(blocking, null, 2)).toEqual([]);
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} mode`, () => {
    test.use({ colorScheme });

    test("home page", async ({ page }) => {
      await page.goto("/");
      await expect(page.getByRole("heading").first()).toBeVisible();
      await expectNoSeriousViolations(page);
    });

    test("session page after a run with thinking, tool calls and files", async ({ page }) => {
      await openNewSession(page, "Write sum.py with a sum function");
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
      await expectNoSeriousViolations(page);
    });

    test("compare page after two models finished", async ({ page }) => {
      await startComparison(page);
      await expectNoSeriousViolations(page);
    });

    test("not-found page", async ({ page }) => {
      await page.goto("/s/does-not-exist");
      await expectNoSeriousViolations(page);
    });
  });
}
