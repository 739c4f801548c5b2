import { expect, type Page, test } from "@playwright/test";
import { openNewSession, rows, runStatus } from "./helpers";

/**
 * The timeline follows a run at its bottom even when steps arrive in bursts — several
 * events in one frame, as a busy tab (or a server that sends a run's events together)
 * delivers them: the page's main thread is held for a while again and again during the run,
 * so the events queued meanwhile are applied back to back before the next frame. Only a
 * person's own scroll stops the following.
 */

const TASK = "Write a Roman numeral converter in Python with tests";

test.describe.configure({ timeout: 120_000 });

/** Holds the page's main thread for `ms` again and again until the run is done. */
async function burstUntilDone(page: Page) {
  const status = runStatus(page);
  for (let i = 0; i < 400 && !/Done/.test((await status.textContent()) ?? ""); i++) {
    await page.evaluate((ms) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {}
    }, 350);
    await page.waitForTimeout(30);
  }
  await expect(status).toContainText("Done", { timeout: 90_000 });
}

/** How far the timeline is from its bottom (px). */
const fromBottom = (page: Page) =>
  page.getByLabel(/^Timeline/).evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);

async function expectAtTheNewestStep(page: Page) {
  await expect(rows(page, /Response/).last()).toContainText("all 7 tests pass");
  await expect(rows(page, /Response/).last()).toBeInViewport();
  expect(await fromBottom(page)).toBeLessThan(48);
  await expect(page.getByRole("button", { name: "↓ Follow the stream" })).toHaveCount(0);
}

test("steps arriving in bursts: the timeline stays at the newest step", async ({ page }) => {
  await openNewSession(page, TASK);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(rows(page, /Thinking/).first()).toBeVisible();
  await burstUntilDone(page);
  await expectAtTheNewestStep(page);
});

test("with the newest step selected, steps arriving in bursts still follow to the end", async ({ page }) => {
  await openNewSession(page, TASK);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(rows(page, /write_file/).first()).toBeVisible({ timeout: 30_000 });
  // select the newest row where the person sees it: at the bottom of the view (not on a
  // control; a locator's click would first scroll the row's top into view, a move of the view
  // that is nobody's input and stops following)
  const view = await page.getByLabel(/^Timeline/).boundingBox();
  const row = await page
    .getByRole("listitem", { name: /^Step \d+:/ })
    .last()
    .boundingBox();
  if (!view || !row) throw new Error("no timeline");
  await page.mouse.click(row.x + 40, Math.max(row.y, view.y) + 6);
  await expect(page.getByText(/^Step \d+ of \d+ ·/)).toBeVisible();
  await burstUntilDone(page);
  await expectAtTheNewestStep(page);
});

test("a person's scroll up stops the following, bursts or not", async ({ page }) => {
  await openNewSession(page, TASK);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(rows(page, /write_file/).first()).toBeVisible({ timeout: 30_000 });
  const timeline = page.getByLabel(/^Timeline/);
  // content taller than the view by more than what counts as the bottom, or there is nowhere to scroll to
  await expect
    .poll(() => timeline.evaluate((element) => element.scrollHeight - element.clientHeight), { timeout: 30_000 })
    .toBeGreaterThan(300);
  await timeline.hover();
  await page.mouse.wheel(0, -600);
  await expect.poll(() => fromBottom(page)).toBeGreaterThan(48);
  const away = await timeline.evaluate((element) => element.scrollTop);
  await burstUntilDone(page);
  // the view stayed where the person left it, the newest steps below it
  expect(Math.abs((await timeline.evaluate((element) => element.scrollTop)) - away)).toBeLessThan(48);
  expect(await fromBottom(page)).toBeGreaterThan(48);
});
