import { expect, test } from "@playwright/test";
import { openNewSession, rows, runStatus, setFault } from "./helpers";

/**
 * The flows the product promises, end to end in a browser: watch a run stream and keep
 * streaming across a reload, see an upstream 429 explained, and edit the model's second
 * thought to branch the session — then find the original intact and land on the same
 * branch after a reload. The app reaches the emulator through its real MiniMax provider.
 */

test.afterEach(async ({ page }) => setFault(page, null));

test("steps appear while the model works, and a reload mid-run picks the stream back up", async ({ page }) => {
  await openNewSession(page, "Write an LRU cache in TypeScript with tests");
  // The reply pauses for 3 s a few words in (under the 4 s stall timeout the app runs with),
  // so the reload lands mid-step however fast or slow the machine streams.
  await setFault(page, { type: "stall", afterChunks: 10, ms: 3_000, times: 1 });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const thinking = rows(page, /Thinking/).first();
  await expect(thinking).toContainText("LRU cache");
  const before = (await thinking.textContent())?.length ?? 0;

  await page.reload();
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  const afterReload = rows(page, /Thinking/).first();
  await expect(afterReload).toContainText("LRU cache");
  // the same step keeps growing after the reload: the live tail resumed
  await expect
    .poll(async () => (await afterReload.textContent())?.length ?? 0, { timeout: 15_000 })
    .toBeGreaterThan(before + 20);
  await expect(rows(page, /write_file/).first()).toBeVisible({ timeout: 30_000 });

  // The run may have ended by itself meanwhile (a fast machine, or a slow page). Escape
  // stops a run in progress and does nothing after one: a click on Stop could land on the
  // Run button that takes its place and start another run (CI saw that: "Failed · empty
  // reply", 0 turns). Stopped or done, it ends; the Stop button has its own tests
  // (session-ui.spec, viewer.spec).
  await page.keyboard.press("Escape");
  await expect(runStatus(page)).toContainText(/Stopped|Done/, { timeout: 15_000 });
});

test("a second tab follows a run started in the first", async ({ page, context }) => {
  const sessionId = await openNewSession(page, "Write a sum function in TypeScript with tests");
  const second = await context.newPage();
  await second.goto(`/s/${sessionId}`);
  await expect(second.getByText("Live", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(rows(second, /Thinking/).first()).toContainText("The task asks for a sum function");
  await expect(runStatus(second)).toContainText("Done", { timeout: 30_000 });
  await expect(rows(second, /write_file/)).toHaveCount(2);
  await expect(rows(second, /Response/)).toContainText("Summary");
});

test("an upstream 429 is explained on the run", async ({ page }) => {
  await openNewSession(page, "Write a sum function in TypeScript");
  await setFault(page, { type: "http", status: 429, times: 1 });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const failure = page.getByRole("alert").filter({ hasText: "The run failed." });
  await expect(failure).toContainText(/rate limit/i);
  await expect(failure).toContainText("429");
  await expect(failure.getByRole("button", { name: "Retry" })).toBeVisible();
});

test("edit the second thinking step, regenerate, switch back to the original, reload onto the branch", async ({
  page,
}) => {
  await openNewSession(page, "Write a sum function in TypeScript with tests");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });

  const second = rows(page, /Thinking/).nth(1);
  await expect(second).toContainText("Now the tests");
  await second.hover();
  await second.getByRole("button", { name: "Edit", exact: true }).click();
  const edit = "Tests go in test/sum.test.ts, away from the source, so the build never ships them.";
  await page.getByRole("textbox", { name: "Step content" }).fill(edit);
  await page.getByRole("button", { name: "Save & regenerate" }).click();

  const edited = rows(page, /Thinking/).nth(1);
  await expect(edited).toContainText("away from the source");
  await expect(edited).toContainText("Alternative 2 of 2");
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
  const branchUrl = page.url();
  expect(branchUrl).toMatch(/\?leaf=/);

  await edited.getByRole("button", { name: "Previous alternative" }).click();
  const original = rows(page, /Thinking/).nth(1);
  await expect(original).toContainText("Now the tests");
  await expect(original).toContainText("Alternative 1 of 2");
  await expect(rows(page, /Thinking/)).toHaveCount(4);
  await expect(rows(page, /Response/)).toContainText("Summary");

  await page.reload();
  await expect(rows(page, /Thinking/).nth(1)).toContainText("Now the tests");
  await expect(rows(page, /Thinking/).nth(1)).toContainText("Alternative 1 of 2");

  await page.goto(branchUrl);
  await expect(rows(page, /Thinking/).nth(1)).toContainText("away from the source");
});
