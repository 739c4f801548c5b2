import { expect, test } from "@playwright/test";
import { teamOnSession } from "./team";

/**
 * A link to a session of a workspace you are in, opened while your browser works in
 * another of yours (a teammate's link, a mention, a bookmark): the page says whose
 * workspace holds it and switches there in one click, rather than "Not found". A session
 * of a workspace you are not in stays not found, and says nothing of it.
 */

test.use({ storageState: { cookies: [], origins: [] } });

test("a session of another of your workspaces offers to switch there; one of a stranger's stays not found", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const task = `Write a sum function [emulator:scenario=sum] link-${Date.now()}`;
  const { sessionId, second, other } = await teamOnSession(page, browser, { role: "member", task });

  // the second person goes back to their own workspace, then opens the teammate's link
  const switcher = second.getByLabel("Workspace", { exact: true });
  const own = await switcher.locator("option", { hasText: "(owner)" }).first().getAttribute("value");
  await switcher.selectOption(own as string);
  await expect(second.getByText(task)).toHaveCount(0);
  await second.goto(`/s/${sessionId}`);
  await expect(second.getByRole("heading", { name: "This session is in another of your workspaces" })).toBeVisible();
  await second.getByRole("button", { name: /^Switch to / }).click();
  await expect(second.getByRole("heading", { name: task })).toBeVisible({ timeout: 30_000 });
  await expect(second.getByText("Live", { exact: true })).toBeVisible({ timeout: 30_000 });

  // someone in no workspace of the session's: not found, no name of the workspace
  const stranger = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const strangerPage = await stranger.newPage();
  const response = await strangerPage.goto(`/s/${sessionId}`);
  expect(response?.status()).toBe(404);
  await expect(strangerPage.getByText("This session doesn't exist, or it was deleted.")).toBeVisible();
  await expect(strangerPage.getByRole("button", { name: /^Switch to / })).toHaveCount(0);
  await stranger.close();
  await other.close();
});
