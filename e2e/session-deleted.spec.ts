import { expect, test } from "@playwright/test";
import { shoot, teamOnSession } from "./team";

/**
 * A session deleted while someone watches it (issue 12): a member deletes it in their
 * browser, and the owner's open page, told through its event stream, becomes "This session
 * was deleted" in place of its header, with a link home; what was on screen stays, with no
 * Run, Delete, rename, comment or edit control left to act on a session that is gone, and
 * no Export, Branches or Review, which would ask the server for it.
 * Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

test("the page of a session someone else deletes says so, with no controls left, and leads home", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const { sessionId, second, other } = await teamOnSession(page, browser, {
    role: "member",
    task: "Deleted while watched: write fizzbuzz",
  });
  await page.goto(`/s/${sessionId}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete", exact: true })).toBeVisible();
  // what asks the server for the session: there while it exists (the toolbar's once its code is in)
  await expect(page.getByRole("button", { name: /^Branches \(/ })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Review/ })).toBeVisible();
  // (Export opens a <details> menu: its <summary> has no button role)
  const exportMenu = page.locator("summary").filter({ hasText: /^Export/ });
  await expect(exportMenu).toBeVisible();

  // the other person deletes it from their own page
  await second.goto(`/s/${sessionId}`);
  await expect(second.getByText("Live", { exact: true })).toBeVisible();
  const confirm = second.getByRole("group", { name: "Confirm delete" });
  // the header's code arrives after the page's first JavaScript: a click before it does nothing
  await expect(async () => {
    await second.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(confirm).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(second).toHaveURL(/\/$/);

  const notice = page.getByRole("alert").filter({ hasText: "This session was deleted" });
  await expect(notice.getByRole("heading", { name: "This session was deleted" })).toBeVisible();
  await expect(notice).toContainText("Deleted while watched: write fizzbuzz was deleted while this page was open");
  // what was on screen stays, with nothing to act on: the task selected shows no comment form
  const task = page.getByRole("listitem", { name: /^Step 1:/ });
  await expect(task).toContainText("Deleted while watched: write fizzbuzz");
  await task.click();
  for (const name of [
    /^Run/,
    /^Delete$/,
    /^Rename /,
    /^Share/,
    /^Edit/,
    /^Comment/,
    /^Retry/,
    /^Continue/,
    /New file/,
    // nor what would ask the server for what it no longer has: the branch list, the review (and Export's downloads, below)
    /^Branches/,
    /^Review/,
  ]) {
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  }
  await expect(exportMenu).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "Ask before applying code" })).toHaveCount(0);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await expect(page.getByRole("img", { name: /^Also viewing/ })).toHaveCount(0);
  // what was loaded stays to read: the files at the selected step, and the step count
  await expect(page.getByRole("tab", { name: "Files" })).toBeVisible();
  await expect(page.getByText(/^\d+ steps?$/)).toBeVisible();
  // the page says it once, not again above the timeline
  await expect(page.getByText("This session was deleted, so it no longer updates.")).toHaveCount(0);
  await shoot(page, "session-deleted-by-member");

  await notice.getByRole("link", { name: "Back to sessions" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText("Deleted while watched: write fizzbuzz")).toHaveCount(0);
  await other.close();
});

test("once the session is known deleted, the page asks the server for nothing of it: no step, no presence, nothing 404s", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const {
    sessionId: made,
    second,
    other,
  } = await teamOnSession(page, browser, {
    role: "member",
    task: "Deleted while scrolled: a long session",
  });
  // a branch longer than the page loads at first (its last 40 steps): 1 task + 60 notes
  const exported = await (await page.request.get(`/api/sessions/${made}/export`)).json();
  const task = exported.steps[0];
  const notes = Array.from({ length: 60 }, (_, i) => ({
    ...task,
    id: `note-${i}`,
    parentId: i === 0 ? task.id : `note-${i - 1}`,
    kind: "user_note",
    content: `Note ${i + 1}`,
  }));
  const imported = await page.request.post("/api/sessions/import", {
    data: { ...exported, session: { ...exported.session, activeLeafId: "note-59" }, steps: [task, ...notes] },
  });
  expect(imported.status()).toBe(201);
  const sessionId = ((await imported.json()) as { session: { id: string } }).session.id;

  await page.goto(`/s/${sessionId}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await expect(page.getByRole("listitem", { name: /^Step 61:/ })).toContainText("Note 60");
  const missing: string[] = [];
  page.on("response", (response) => {
    if (response.url().includes(`/api/sessions/${sessionId}/`) && response.status() === 404)
      missing.push(response.url());
  });

  const deleted = await second.request.delete(`/api/sessions/${sessionId}`);
  expect(deleted.ok()).toBe(true);
  await expect(page.getByRole("heading", { name: "This session was deleted" })).toBeVisible();
  // selecting a step tells nobody (presence) now
  await page.getByRole("listitem", { name: /^Step 61:/ }).click();
  // scroll to the top: the rows of the steps never loaded come into view, and stay as they were
  const timeline = page.getByLabel(/^Timeline/);
  await expect(async () => {
    await timeline.evaluate((element) => element.scrollBy(0, -2_000));
    await expect(page.getByRole("listitem", { name: /^Step 1:/ })).toBeVisible({ timeout: 250 });
  }).toPass({ timeout: 15_000 });
  await page.waitForTimeout(1_000);
  expect(missing).toEqual([]);
  // nothing says it is on its way; a row whose step was never loaded says so (those the page
  // asked for before the deletion, near the top as it first rendered, are there)
  await expect(page.getByText(/· loading…$/)).toHaveCount(0);
  const unloaded = page.getByRole("listitem").filter({ hasText: "not loaded" });
  await expect(async () => {
    if ((await unloaded.count()) === 0) await timeline.evaluate((element) => element.scrollBy(0, 300));
    await expect(unloaded.first()).toBeVisible({ timeout: 250 });
  }).toPass({ timeout: 15_000 });
  await expect(unloaded.first()).toHaveAttribute("aria-busy", "false");
  await shoot(page, "session-deleted-not-loaded");
  expect(missing).toEqual([]);
  await other.close();
});
