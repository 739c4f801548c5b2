import { expect, test } from "@playwright/test";
import { openNewSession, rows } from "./helpers";
import { shoot } from "./team";

test("create a session in the browser; it survives a reload", async ({ page }) => {
  await page.goto("/");
  const task = `Write a slugify function ${Date.now()}`;
  await page.getByLabel("Coding task").fill(task);
  await page.getByRole("button", { name: /New session/ }).click();
  await expect(page).toHaveURL(/\/s\/[\w-]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(task);

  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(task);

  await page.goto("/");
  await expect(page.getByRole("link", { name: task })).toBeVisible();
});

test("bad input shows the server's message", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Coding task").fill("   ");
  await page.getByRole("button", { name: /New session/ }).click();
  const formAlert = page.getByRole("form", { name: "New session" }).getByRole("alert");
  await expect(formAlert).toHaveText("Describe the task: it can't be empty.");

  await page.getByLabel("Coding task").fill("x".repeat(20_001));
  await page.getByRole("button", { name: /New session/ }).click();
  await expect(formAlert).toContainText("under 20,000 characters");
  await expect(page).toHaveURL(/\/$/);
});

test("rename and delete a session with confirmation", async ({ page }) => {
  await page.goto("/");
  const task = `Session to delete ${Date.now()}`;
  await page.getByLabel("Coding task").fill(task);
  await page.getByRole("button", { name: /New session/ }).click();
  await expect(page).toHaveURL(/\/s\//);

  await page.getByRole("button", { name: `Rename ${task}` }).click();
  await page.getByLabel("Session title").fill("Renamed session");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Renamed session");

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("group", { name: "Confirm delete" }).getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Renamed session" })).toHaveCount(0);
});

test("an unknown session shows a not-found page", async ({ page }) => {
  const response = await page.goto("/s/does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("a not-found page names what is missing: a suite run, a comparison, or nothing at that address", async ({
  page,
}) => {
  // every 404 said "This session doesn't exist, or it was deleted.", a suite run's and a mistyped path's too
  const pages: [string, string, string][] = [
    ["/suites/does-not-exist", "This suite run doesn't exist.", "Back to suites"],
    ["/compare/does-not-exist", "This comparison doesn't exist, or its sessions were deleted.", "Back to sessions"],
    ["/no-such-page", "There is nothing at this address.", "Back to sessions"],
  ];
  for (const [path, message, back] of pages) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByText(message)).toBeVisible();
    await expect(page.getByText("This session doesn't exist")).toHaveCount(0);
    await expect(page.getByRole("link", { name: back })).toBeVisible();
  }
  await page.goto("/s/does-not-exist");
  await expect(page.getByText("This session doesn't exist, or it was deleted.")).toBeVisible();
});

test("the not-found page's link and the header's links go to their page without reloading it", async ({ page }) => {
  await page.goto("/s/does-not-exist");
  const back = page.getByRole("link", { name: "Back to sessions" });
  // a click before the link's code runs would be the browser's own, a reload
  await expect
    .poll(() => back.evaluate((node) => Object.keys(node).some((key) => key.startsWith("__reactFiber"))))
    .toBe(true);
  await page.evaluate(() => {
    (window as Window & { kept?: true }).kept = true;
  });
  await back.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByLabel("Coding task")).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Suites" }).click();
  await expect(page).toHaveURL(/\/suites$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
  await expect(page.getByLabel("Coding task")).toBeVisible();
  expect(await page.evaluate(() => (window as Window & { kept?: true }).kept)).toBe(true);
});

test("a session deleted while someone watches it: their page says so and stops updating", async ({ page, context }) => {
  const sessionId = await openNewSession(page, "Write a sum function [emulator:fault=stall@8]");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(rows(page, /Thinking/).first()).toContainText("The task asks");

  // someone else (here: another tab) deletes it while the run is going
  const other = await context.newPage();
  const deleted = await other.request.delete(`/api/sessions/${sessionId}`);
  expect(deleted.status()).toBe(204);

  const alert = page.getByRole("alert").filter({ hasText: "This session was deleted" });
  await expect(alert).toContainText("was deleted while this page was open, so it no longer updates.");
  await expect(alert).toContainText("What is on screen stays, read-only, until you leave this page.");
  await expect(page.getByText("Not updating")).toBeVisible();
  // what was on screen stays
  await expect(rows(page, /Thinking/).first()).toContainText("The task asks");
  await shoot(page, "session-deleted");
});
