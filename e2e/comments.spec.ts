import { expect, test } from "@playwright/test";
import { shoot, teamOnSession } from "./team";

/**
 * Review comments (issue 12 item 1), as two people of one workspace meet them in two
 * browser contexts: the owner comments on the task, quoting part of it and @mentioning;
 * a viewer (viewers comment: they are reviewers) sees it appear live, replies; the owner
 * sees the reply live and resolves the thread, which the viewer sees at once.
 * Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

test("a comment, its reply and its resolution appear live for the other person", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { sessionId, second, other } = await teamOnSession(page, browser, {
    role: "viewer",
    task: "Review: write fizzbuzz in Python",
  });

  await page.goto(`/s/${sessionId}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await second.goto(`/s/${sessionId}`);
  await expect(second.getByText("Live", { exact: true })).toBeVisible();

  // the owner selects the task, selects its text, and comments on it, mentioning the viewer
  const task = page.getByRole("listitem", { name: /^Step 1:/ });
  await task.click();
  await task.getByText("Review: write fizzbuzz in Python").selectText();
  const field = task.getByRole("textbox", { name: "New comment" });
  await field.click();
  await expect(task.getByText("On “Review: write fizzbuzz in Python”")).toBeVisible();
  await field.pressSequentially("Why not TypeScript? @Gu");
  await task.getByRole("list", { name: "Mention someone" }).getByRole("button").first().click();
  await task.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(task.getByRole("article", { name: /^Comment thread by Guest/ })).toContainText("Why not TypeScript?");

  // the viewer sees it live: a count on the step, the thread when they open it
  const theirTask = second.getByRole("listitem", { name: /^Step 1:/ });
  const count = theirTask.getByRole("button", { name: "1 comment, 1 open" });
  await expect(count).toBeVisible();
  await count.click();
  const thread = theirTask.getByRole("article", { name: /^Comment thread by Guest/ });
  await expect(thread).toContainText("Why not TypeScript? @Guest");
  await expect(thread).toContainText("On “Review: write fizzbuzz in Python”");
  await thread.getByRole("button", { name: "Reply" }).click();
  await thread.getByRole("textbox", { name: "Reply" }).fill("Python is what the team reads.");
  await thread.getByRole("button", { name: "Reply", exact: true }).last().click();

  // the owner sees the reply live, and resolves the thread; the viewer sees it resolved
  await expect(task.getByRole("article", { name: /^Comment thread/ })).toContainText("Python is what the team reads.");
  await shoot(page, "comments");
  await task.getByRole("button", { name: "Resolve" }).click();
  await expect(theirTask.getByRole("article", { name: /resolved$/ })).toContainText("Resolved by Guest");
  await expect(theirTask.getByRole("button", { name: "2 comments" })).toBeVisible();
  await shoot(second, "comments-resolved");
  await other.close();
});
