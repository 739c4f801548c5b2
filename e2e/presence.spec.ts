import { expect, test } from "@playwright/test";
import { shoot, teamOnSession } from "./team";

/**
 * Presence (issue 12 item 5), as two people of one workspace meet it: each sees the other
 * arrive on the session's page, sees which step the other selects, and sees them leave —
 * live, in two browser contexts. Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

test("two people on one session see each other, and the step each has selected, live", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { sessionId, second, other } = await teamOnSession(page, browser, {
    role: "member",
    task: "Presence: write fizzbuzz",
  });

  await page.goto(`/s/${sessionId}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Also viewing/ })).toHaveCount(0);
  await second.goto(`/s/${sessionId}`);
  await expect(second.getByText("Live", { exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: "Also viewing: Guest" })).toBeVisible();
  await expect(second.getByRole("img", { name: "Also viewing: Guest" })).toBeVisible();

  // the second person selects the task step: the owner sees their face on it
  await second.getByRole("listitem", { name: /^Step 1:/ }).click();
  const marked = page.getByRole("listitem", { name: /^Step 1:/ }).getByRole("img", { name: "Selected by Guest" });
  await expect(marked).toBeVisible();
  await shoot(page, "presence");

  // they leave: gone from the owner's page
  await other.close();
  await expect(page.getByRole("img", { name: /^Also viewing/ })).toHaveCount(0);
  await expect(marked).toHaveCount(0);
});
