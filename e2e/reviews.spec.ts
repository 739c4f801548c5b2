import { expect, test } from "@playwright/test";
import { shoot, teamOnSession } from "./team";

/**
 * Review of a branch, as on a pull request (issue 12 item 4), as a team meets it: the
 * author asks for review from the session's Review menu; the header counts what waits
 * and /review lists it; a second member asks for changes, then approves; the queue
 * empties. Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

test("ask for review, request changes, approve: the queue and its count follow", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { sessionId, second, other } = await teamOnSession(page, browser, {
    role: "member",
    task: "Review: write fizzbuzz",
  });

  await page.goto(`/s/${sessionId}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Review", exact: true }).click();
  const panel = page.getByRole("dialog", { name: "Review of this branch" });
  await expect(panel.getByText("No reviews of this branch yet.")).toBeVisible();
  await panel.getByRole("button", { name: "Ask for review" }).click();
  await expect(panel.getByRole("list", { name: "Reviews" })).toContainText("Review requested");
  await page.goto("/review");
  await expect(page.getByRole("link", { name: "Review 1 waiting" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Waiting for review" })).toContainText("Review: write fizzbuzz");
  await shoot(page, "review-queue");

  await second.goto("/review");
  await second.getByRole("list", { name: "Waiting for review" }).getByRole("link").first().click();
  await expect(second.getByText("Live", { exact: true })).toBeVisible();
  await second.getByRole("button", { name: /^Review/ }).click();
  const theirs = second.getByRole("dialog", { name: "Review of this branch" });
  await expect(theirs.getByRole("button", { name: "Request changes" })).toBeDisabled();
  await theirs.getByLabel("Summary").fill("Handle n = 0, and add a test for it.");
  await theirs.getByRole("button", { name: "Request changes" }).click();
  await expect(theirs.getByRole("list", { name: "Reviews" })).toContainText("Handle n = 0");
  await shoot(second, "review-panel");
  await theirs.getByRole("button", { name: "Approve" }).click();
  await expect(second.getByRole("button", { name: /^Review/ })).toContainText("Approved");
  await other.close();

  await page.reload();
  await expect(page.getByText("Nothing waits for review.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Review", exact: true })).toBeVisible();
  await shoot(page, "review-queue-empty");
});
