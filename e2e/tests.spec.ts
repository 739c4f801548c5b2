import { expect, type Page, test } from "@playwright/test";
import { openNewSession, rows, runStatus } from "./helpers";
import { teamOnSession } from "./team";

/**
 * Running tests in the browser: the model's run_tests calls in the emulator's run-and-fix
 * scenario (the first code fails, the model fixes it, the second run passes) really run in
 * the sandbox and show as test reports; a person's Run tests in the editor adds a report
 * step at the selected step, with a clear state while it runs, and it survives a reload.
 * Screenshots of both, light and dark, go to test-results/ for review.
 */

const TASK = "Write a Roman numeral converter in Python with tests";

// The server's first Python run makes Pyodide's memory snapshot (seconds on a busy machine).
test.describe.configure({ timeout: 120_000 });

async function runToTheEnd(page: Page) {
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 90_000 });
}

async function shoot(page: Page, name: string, target = page.locator("body")) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await target.screenshot({ path: `test-results/screens/${name}-${colorScheme}.png`, animations: "disabled" });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("the model runs its tests, reads the failure, fixes the code, and the second run passes", async ({ page }) => {
  await openNewSession(page, TASK);
  await runToTheEnd(page);

  const reports = rows(page, /Test results/);
  await expect(reports).toHaveCount(2);
  const first = reports.first();
  await expect(first).toContainText("5 passed · 2 failed");
  await expect(first.getByRole("region", { name: "Test report" })).toContainText("test_four_is_subtractive");
  await expect(first).toContainText("IIII");
  await expect(reports.last()).toContainText("7 passed");
  await expect(rows(page, /run_tests/)).toHaveCount(2);
  await expect(rows(page, /run_tests/).first()).toContainText("all tests");
  await expect(rows(page, /Response/)).toContainText("all 7 tests pass");

  await first.scrollIntoViewIfNeeded();
  await shoot(page, "test-report-step", first);
  await shoot(page, "test-report-session");

  await page.reload();
  await expect(rows(page, /Test results/).first()).toContainText("5 passed · 2 failed");
});

test("Run tests in the editor adds a report step at the selected step, and it stays after a reload", async ({
  page,
}) => {
  await openNewSession(page, TASK);
  const runTests = page.getByRole("button", { name: /Run tests|Running tests/ });
  // Nothing to test before the model writes a test file.
  await expect(runTests).toBeDisabled();
  await expect(runTests).toHaveAttribute("title", /No test files/);
  // …and it looks it: a disabled button must not look like one that can be pressed.
  await expect(runTests).toHaveCSS("opacity", "0.5");
  await runToTheEnd(page);
  await expect(runTests).toBeEnabled();
  await expect(runTests).toHaveCSS("opacity", "1");

  // Hold the answer for a moment so the running state can be seen (and checked).
  await page.route("**/test-runs", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await runTests.click();
  await expect(runTests).toHaveText("Running tests…");
  await expect(runTests).toBeDisabled();
  await expect(runTests).toHaveAttribute("aria-busy", "true");
  await shoot(page, "run-tests-running", page.getByRole("region", { name: "Files" }));
  const atEnd = rows(page, /Test run/);
  await expect(atEnd).toHaveCount(1, { timeout: 30_000 });
  await expect(atEnd).toContainText("7 passed");
  await expect(atEnd).toContainText("as the person's message");
  await expect(runTests).toHaveText("Run tests");
  await page.unroute("**/test-runs");
  await shoot(page, "run-tests-button", page.getByRole("region", { name: "Files" }));

  // At the step where the tests were first written, the code still has its bug: a new branch.
  // The timeline renders only the rows near its viewport: scroll up until that step's row is there.
  const timeline = page.getByLabel(/^Timeline/);
  const wrote = rows(page, /Result/).filter({ hasText: "Wrote test_roman.py" });
  await expect(async () => {
    if ((await wrote.count()) === 0) await timeline.evaluate((element) => element.scrollBy(0, -400));
    await expect(wrote).toHaveCount(1, { timeout: 250 });
  }).toPass({ timeout: 15_000 });
  await wrote.click();
  await runTests.click();
  const midway = rows(page, /Test run/);
  await expect(midway).toContainText("5 passed · 2 failed", { timeout: 30_000 });
  await expect(midway).toContainText("with the tool result before it");
  await expect(page.getByRole("button", { name: "Branches (2)" })).toBeVisible();
  await shoot(page, "person-test-run-step", midway);

  await page.reload();
  await expect(rows(page, /Test run/)).toContainText("5 passed · 2 failed");
});

test("the editor's 'You have 2 test runs going' gives way once a test run ends", async ({ page }) => {
  const created = await page.request.post("/api/sessions", {
    multipart: {
      task: "Keep the test",
      file: {
        name: "test_one.py",
        mimeType: "text/x-python",
        buffer: Buffer.from("def test_one():\n    assert 1 == 1\n"),
      },
      path: "test_one.py",
    },
  });
  expect(created.status()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string; activeLeafId: string } };
  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  const runTests = page.getByRole("button", { name: /Run tests|Running tests/ });
  await expect(runTests).toBeEnabled();

  // the server's refusal while the person's two places are taken (its own test: test-runs.db.test.ts),
  // answered here so that the test runs holding them can end when the test says
  const message = "You have 2 test runs going, the most at once. Run these tests once one has finished.";
  await page.route("**/test-runs", (route) =>
    route.fulfill({ status: 429, json: { error: { code: "rate_limit:test_runs", message, details: { limit: 2 } } } }),
  );
  await runTests.click();
  const refusal = page.getByText(message);
  await expect(refusal).toBeVisible();
  await shoot(page, "test-runs-refused", page.getByRole("region", { name: "Files" }));
  await page.unroute("**/test-runs");

  // one of the person's test runs ends (from another tab, or a bot): its report step reaches the page
  const ended = await page.request.post(`/api/sessions/${session.id}/test-runs`, {
    data: { afterStepId: session.activeLeafId },
  });
  expect(ended.status()).toBe(201);
  await expect(refusal).toBeHidden();
  // good news, shown as such: a status, not an alert
  await expect(
    page.getByRole("status").filter({ hasText: "A test run has finished: try Run tests again." }),
  ).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "try Run tests again" })).toHaveCount(0);
  await shoot(page, "test-runs-freed", page.getByRole("region", { name: "Files" }));
  await runTests.click();
  await expect(page.getByText("A test run has finished: try Run tests again.")).toBeHidden();
  await expect(runTests).toHaveText("Run tests", { timeout: 30_000 });
  // this one went through: no refusal came back
  await expect(page.getByText(/test runs going|try Run tests again/)).toHaveCount(0);
});

test.describe("two people", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("another person's test run ending leaves the refusal as it is: only one of yours frees a place", async ({
    page,
    browser,
  }) => {
    const task = `Test runs of two people ${Date.now()}`;
    const { sessionId, second, other } = await teamOnSession(page, browser, { role: "member", task });
    const { session } = (await (await page.request.get(`/api/sessions/${sessionId}`)).json()) as {
      session: { activeLeafId: string };
    };
    const saved = await page.request.post(`/api/sessions/${sessionId}/files`, {
      data: { afterStepId: session.activeLeafId, path: "test_one.py", content: "def test_one():\n    assert 1 == 1\n" },
    });
    expect(saved.status()).toBe(201);
    const { step } = (await saved.json()) as { step: { id: string } };
    await page.goto(`/s/${sessionId}`);
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    const runTests = page.getByRole("button", { name: /Run tests|Running tests/ });
    await expect(runTests).toBeEnabled();

    const message = "You have 2 test runs going, the most at once. Run these tests once one has finished.";
    await page.route("**/test-runs", (route) =>
      route.fulfill({ status: 429, json: { error: { code: "rate_limit:test_runs", message, details: { limit: 2 } } } }),
    );
    await runTests.click();
    const refusal = page.getByText(message);
    await expect(refusal).toBeVisible();
    await page.unroute("**/test-runs");

    // the other member's test run ends: its report reaches this page, and frees none of this person's places
    const theirs = await second.request.post(`/api/sessions/${sessionId}/test-runs`, {
      data: { afterStepId: step.id },
    });
    expect(theirs.status()).toBe(201);
    await page.waitForTimeout(2_000);
    await expect(refusal).toBeVisible();
    await expect(page.getByText("A test run has finished: try Run tests again.")).toHaveCount(0);

    // one of this person's own ends: now a place may be free
    const mine = await page.request.post(`/api/sessions/${sessionId}/test-runs`, { data: { afterStepId: step.id } });
    expect(mine.status()).toBe(201);
    await expect(
      page.getByRole("status").filter({ hasText: "A test run has finished: try Run tests again." }),
    ).toBeVisible();
    await expect(refusal).toBeHidden();
    await other.close();
  });
});
