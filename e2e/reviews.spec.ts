import { expect, type Page, test } from "@playwright/test";

/**
 * Review of a branch, as on a pull request (issue 12 item 4), as a team meets it: the
 * author asks for review from the session's Review menu; the header counts what waits
 * and /review lists it; a second member asks for changes, then approves; the queue
 * empties. Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

async function shoot(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `test-results/screens/${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("ask for review, request changes, approve: the queue and its count follow", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.goto("/settings");
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();
  const created = await page.request.post("/api/sessions", { data: { task: "Review: write fizzbuzz" } });
  const { session } = (await created.json()) as { session: { id: string } };

  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Review", exact: true }).click();
  const panel = page.getByRole("dialog", { name: "Review of this branch" });
  await expect(panel.getByText("No reviews of this branch yet.")).toBeVisible();
  await panel.getByRole("button", { name: "Ask for review" }).click();
  await expect(panel.getByRole("list", { name: "Reviews" })).toContainText("Review requested");
  await page.goto("/review");
  await expect(page.getByRole("link", { name: "Needs review: 1" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Waiting for review" })).toContainText("Review: write fizzbuzz");
  await shoot(page, "review-queue");

  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const second = await other.newPage();
  await second.goto(link);
  await second.getByRole("link", { name: "Continue as a guest" }).click();
  await second.getByRole("button", { name: /Join .* as member/ }).click();
  await expect(second.getByText("Review: write fizzbuzz")).toBeVisible();
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
  await expect(page.getByRole("link", { name: "Needs review", exact: true })).toBeVisible();
  await shoot(page, "review-queue-empty");
});
