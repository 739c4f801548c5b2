import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { openNewSession, rows, runStatus, setFault } from "./helpers";

/**
 * A finished run says why it stopped and offers the next step (issue 11 items 9, 12, 13):
 * output cut at the token limit → the cut step is marked, Continue resumes the turn; an
 * empty reply → "returned nothing" and Retry; the turn limit → Continue. The emulator
 * scripts the cut (scenario cut-call) exactly where a real max_tokens stop would fall.
 */

test.afterEach(async ({ page }) => setFault(page, null));

const whyStopped = (page: Page) => page.getByRole("status", { name: "Why the run stopped" });

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .exclude(".monaco-editor")
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("output cut inside a tool call: the cut call is shown, not run; Continue finishes the turn", async ({ page }) => {
  await openNewSession(page, "Write a greeting module [emulator:scenario=cut-call]");
  await page.getByRole("button", { name: "Run", exact: true }).click();

  await expect(runStatus(page)).toContainText("Done · output cut", { timeout: 30_000 });
  const notice = whyStopped(page);
  await expect(notice).toContainText("Output cut at the token limit.");
  await expect(notice).toContainText("in the middle of a tool call");
  await expect(notice).toContainText("not run");
  const cutCall = rows(page, /write_file/).first();
  await expect(cutCall).toContainText("cut at the token limit · not run");
  await expect(rows(page, /: Result$/)).toHaveCount(0);

  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.getByRole("region", { name: "Steps", exact: true }).screenshot({
      path: `test-results/screens/output-cut-${colorScheme}.png`,
      animations: "disabled",
    });
    await expectAccessible(page);
  }
  await page.emulateMedia({ colorScheme: "light" });

  await notice.getByRole("button", { name: "Continue" }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
  await expect(runStatus(page)).not.toContainText("output cut");
  await expect(whyStopped(page)).toHaveCount(0);
  // the cut call stays as it was; the resumed turn wrote the file and the model finished
  await expect(rows(page, /write_file/)).toHaveCount(2);
  await expect(rows(page, /write_file/).first()).toContainText("cut at the token limit");
  await expect(rows(page, /Response/).last()).toContainText("greet(name)");
});

test("an empty reply says the model returned nothing, and Retry asks again", async ({ page }) => {
  await openNewSession(page, "Write a sum function [emulator:scenario=fizzbuzz]");
  await setFault(page, { type: "empty", times: 1 });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const failure = page.getByRole("alert").filter({ hasText: "The run failed." });
  await expect(failure).toContainText("The model returned nothing", { timeout: 30_000 });
  await expect(runStatus(page)).toContainText("Failed · empty reply");
  await page.emulateMedia({ colorScheme: "dark" });
  await page
    .getByRole("region", { name: "Steps", exact: true })
    .screenshot({ path: "test-results/screens/empty-reply-dark.png", animations: "disabled" });
  await page.emulateMedia({ colorScheme: "light" });
  await failure.getByRole("button", { name: "Retry" }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
  await expect(page.getByRole("alert").filter({ hasText: "The run failed." })).toHaveCount(0);
});

test("the turn limit says so, and Continue gives the run more turns", async ({ page }) => {
  const response = await page.request.post("/api/sessions", {
    data: { task: "Write a sum function [emulator:scenario=sum]", maxTurns: 1 },
  });
  expect(response.status()).toBe(201);
  const { session } = (await response.json()) as { session: { id: string } };
  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("Done · turn limit", { timeout: 30_000 });
  await expect(whyStopped(page)).toContainText("The turn limit was reached.");
  await expect(rows(page, /write_file/)).toHaveCount(1);
  await whyStopped(page).getByRole("button", { name: "Continue" }).click();
  await expect(rows(page, /write_file/)).toHaveCount(2, { timeout: 30_000 });
  await expect(runStatus(page)).toContainText("Done · turn limit", { timeout: 30_000 });
});
