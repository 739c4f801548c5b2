import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { openNewSession, runStatus, startComparison } from "./helpers";

/**
 * Accessibility, checked by axe-core on every page in light and dark mode. The bar is
 * zero serious or critical violations of WCAG 2.1 A/AA, plus axe's "label in name" rule
 * (a control's accessible name contains its visible text, WCAG 2.5.3), which axe ships
 * as experimental and so must be enabled by name.
 */

/** A page in a browser context with no account: what a visitor opens a link in. */
async function visitor(browser: Browser, colorScheme: "light" | "dark"): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, colorScheme });
  return context.newPage();
}

/** A suite run of one scripted task on the offline demo model, finished. */
async function finishedSuiteRun(page: Page): Promise<string> {
  const response = await page.request.post("/api/suite-runs", {
    data: {
      suite: {
        name: "One scripted task",
        tasks: [
          {
            id: "sum",
            title: "Sum",
            language: "typescript",
            prompt: "Write a sum function with tests [emulator:scenario=sum]",
            tests: {
              "hidden_sum.test.ts": 'import { expect, it } from "vitest";\nit("runs", () => expect(1).toBe(1));\n',
            },
          },
        ],
      },
      modelIds: ["offline-demo"],
      concurrency: 1,
    },
  });
  expect(response.status()).toBe(202);
  const { suiteRun } = (await response.json()) as { suiteRun: { id: string } };
  return suiteRun.id;
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} mode`, () => {
    test.use({ colorScheme });
    // Monaco's first evaluation and axe's walk hold the main thread for seconds on a loaded 2-core machine.
    test.describe.configure({ timeout: 150_000 });

    test("home page", async ({ page }) => {
      await page.goto("/");
      await expect(page.getByRole("heading").first()).toBeVisible();
      await expectNoSeriousViolations(page);
    });

    test("session page after a run with thinking, tool calls and files", async ({ page }) => {
      await openNewSession(page, "Write sum.py with a sum function");
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await expect(runStatus(page)).toContainText("Done", { timeout: 60_000 });
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

    test("suites page", async ({ page }) => {
      await page.goto("/suites");
      await expect(page.getByRole("heading").first()).toBeVisible();
      await expectNoSeriousViolations(page);
    });

    test("suite run page with its report", async ({ page }) => {
      await page.goto(`/suites/${await finishedSuiteRun(page)}`);
      await expect(page.getByRole("status", { name: "Suite run status" })).toHaveText("Done", { timeout: 90_000 });
      await expectNoSeriousViolations(page);
    });

    test("needs review page with a branch waiting", async ({ page }) => {
      await openNewSession(page, "Write sum.py with a sum function");
      await page.getByRole("button", { name: "Review", exact: true }).click();
      const panel = page.getByRole("dialog", { name: "Review of this branch" });
      await panel.getByRole("button", { name: "Ask for review" }).click();
      // the request is recorded before the page is left (leaving at once could cancel it)
      await expect(panel.getByRole("list", { name: "Reviews" })).toContainText("Review requested");
      await page.goto("/review");
      await expect(page.getByRole("link", { name: /sum\.py/ }).first()).toBeVisible();
      await expectNoSeriousViolations(page);
    });

    test("settings page", async ({ page }) => {
      await page.goto("/settings");
      await expect(page.getByRole("heading").first()).toBeVisible();
      await expectNoSeriousViolations(page);
    });

    test("share page, as a visitor with no account", async ({ page, browser }) => {
      const sessionId = await openNewSession(page, "Write sum.py with a sum function");
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await expect(runStatus(page)).toContainText("Done", { timeout: 60_000 });
      const response = await page.request.post(`/api/sessions/${sessionId}/shares`, { data: { scope: "tree" } });
      expect(response.status()).toBe(201);
      const { path } = (await response.json()) as { path: string };
      const shared = await visitor(browser, colorScheme);
      await shared.goto(path);
      await expect(shared.getByText("Live", { exact: true })).toBeVisible();
      await expectNoSeriousViolations(shared);
    });

    test("sign-in and sign-up pages", async ({ browser }) => {
      const page = await visitor(browser, colorScheme);
      await page.goto("/sign-in");
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
      await expectNoSeriousViolations(page);
      await page.goto("/sign-up");
      await expect(page.getByRole("heading").first()).toBeVisible();
      await expectNoSeriousViolations(page);
    });

    test("invitation page", async ({ page, browser }) => {
      const response = await page.request.post("/api/workspace/invitations", { data: { role: "member" } });
      expect(response.status()).toBe(201);
      const { path } = (await response.json()) as { path: string };
      const invited = await visitor(browser, colorScheme);
      await invited.goto(path);
      await expect(invited.getByRole("heading").first()).toBeVisible();
      await expectNoSeriousViolations(invited);
    });
  });
}
