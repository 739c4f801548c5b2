import { expect, type Page, test } from "@playwright/test";
import { runStatus } from "./helpers";
import { shoot, teamOnSession } from "./team";

/**
 * A workspace viewer reads and comments, and sees no control its role can't use (issue 8
 * item 2): the owner's session waits for an approval; the viewer, in a browser of their
 * own, sees the run, the pending write and the files, and can comment, but has no Run,
 * Stop, Approve, Edit, Regenerate, Run tests, Edit file, rename, plan-gate toggle, Share
 * or Delete — every one of them a 403 on the server. Their home page has no new-session
 * form, import or delete. The owner, on the same session, has them all. Then the owner's
 * Share dialog and Settings list a link as last opened once someone opened it.
 * Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

const TASK = `Write a sum function with tests [emulator:scenario=sum] viewer-${Date.now()}`;
const waiting = (page: Page) => page.getByRole("region", { name: "Waiting for approval" });

test("a viewer sees the session read-only, comments, and finds no control the server would refuse", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const { sessionId, second: viewer, other } = await teamOnSession(page, browser, { role: "viewer", task: TASK });

  // the owner turns the plan gate on and runs: the run pauses at its first file write
  await page.goto(`/s/${sessionId}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel("Ask before applying code").check();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(waiting(page)).toBeVisible({ timeout: 30_000 });

  await viewer.goto(`/s/${sessionId}`);
  await expect(viewer.getByText("Live", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(runStatus(viewer)).toContainText("Waiting for approval");
  await expect(waiting(viewer)).toContainText("This change waits for a reviewer.");
  for (const name of ["Approve", "Edit, then approve", "Reject…", "Run", "Stop", "Retry", "Continue", "Delete"]) {
    await expect(viewer.getByRole("button", { name, exact: true }), name).toHaveCount(0);
  }
  await expect(viewer.getByRole("button", { name: "Share", exact: true })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /^Rename / })).toHaveCount(0);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText(TASK);
  await expect(viewer.getByLabel("Ask before applying code")).toHaveCount(0);
  await expect(viewer.getByText("Asks before applying code")).toBeVisible();
  // reading tools stay: the branches, the review history, export
  await expect(viewer.locator("summary", { hasText: "Export" })).toBeVisible();

  // a step: no Edit or Regenerate, but the comment form (viewers review)
  const task = viewer.getByRole("listitem", { name: /^Step 1:/ });
  await task.click();
  await expect(task.getByRole("button", { name: "Edit", exact: true })).toHaveCount(0);
  await expect(task.getByRole("button", { name: "Regenerate from here" })).toHaveCount(0);
  await task.getByRole("textbox", { name: "New comment" }).fill("Looks right to me.");
  await task.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(task.getByRole("article", { name: /^Comment thread by / })).toContainText("Looks right to me.");
  // the files at the paused step: no Run tests, no Edit file
  await waiting(viewer).getByRole("button", { name: "See the diff" }).click();
  await expect(viewer.getByRole("region", { name: "Proposed change" })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Run tests" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Edit file" })).toHaveCount(0);
  await shoot(viewer, "viewer-session");

  // the viewer's home page: the sessions, no form to start one, no import or delete
  await viewer.goto("/");
  await expect(viewer.getByRole("link", { name: TASK, exact: true })).toBeVisible();
  await expect(viewer.getByText(/reads its sessions and comments on them/)).toBeVisible();
  await expect(viewer.getByLabel("Coding task")).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /^Import/ })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /^Delete / })).toHaveCount(0);
  await shoot(viewer, "viewer-home");

  // the owner, on the same session, has every control, and sees the viewer's comment
  await expect(page.getByRole("button", { name: /^Rename / })).toBeVisible();
  await expect(page.getByRole("button", { name: "Share", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete", exact: true })).toBeVisible();
  await expect(waiting(page).getByRole("button", { name: "Approve", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "1 comment, 1 open" })).toBeVisible();
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(runStatus(page)).not.toContainText("Waiting for approval");
  await other.close();
});

test("a share link is listed as last opened once someone opened it", async ({ page }) => {
  await page.goto("/");
  const created = await page.request.post("/api/sessions", { data: { task: "Write fizzbuzz (shared)" } });
  const { session } = (await created.json()) as { session: { id: string } };
  const shared = await page.request.post(`/api/sessions/${session.id}/shares`, { data: { scope: "tree" } });
  const { path } = (await shared.json()) as { path: string };

  await page.goto(`/s/${session.id}`);
  // the header's code comes after the page's first chunks, as the stream goes live (e2e/hydration.spec.ts)
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Share this session" });
  await expect(dialog.getByRole("listitem", { name: "Whole tree link, active" })).toContainText("never opened");
  await dialog.getByRole("button", { name: "Close" }).click();

  // someone opens the link (its page records the use)
  expect((await page.request.get(path)).status()).toBe(200);
  await page.reload();
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Share", exact: true }).click();
  await expect(dialog.getByRole("listitem", { name: "Whole tree link, active" })).toContainText("last opened");
  await shoot(page, "share-last-opened");

  await page.goto("/settings");
  const links = page.getByRole("list", { name: "Share links" });
  await expect(links.getByRole("listitem", { name: /Write fizzbuzz \(shared\)/ })).toContainText("last opened");
});
