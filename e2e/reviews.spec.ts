import { expect, test } from "@playwright/test";
import { runStatus } from "./helpers";
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

test("while a run adds to the branch, its verdicts wait for the run's end: no refusal, no review left on a middle step", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  const created = await page.request.post("/api/sessions", {
    data: { task: `Review mid-run: write a sum [emulator:scenario=sum] ${Date.now()}`, modelId: "MiniMax-M2" },
  });
  expect(created.status()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string } };
  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  // the run pauses at its first file write, still going on this branch
  await page.getByLabel("Ask before applying code").check();
  await expect(page.getByLabel("Ask before applying code")).toBeChecked();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByRole("region", { name: "Waiting for approval" })).toBeVisible({ timeout: 30_000 });

  await page.getByRole("button", { name: "Review", exact: true }).click();
  const panel = page.getByRole("dialog", { name: "Review of this branch" });
  await expect(panel.getByRole("status")).toHaveText(
    "A run is still adding to this branch: review it once the run has ended.",
  );
  for (const name of ["Ask for review", "Approve"]) await expect(panel.getByRole("button", { name })).toBeDisabled();

  await page.getByRole("button", { name: "Review", exact: true }).click(); // closes the panel
  await expect(panel).toHaveCount(0);
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(runStatus(page)).toContainText("Stopped", { timeout: 30_000 });
  await page.getByRole("button", { name: "Review", exact: true }).click();
  await expect(panel.getByRole("status")).toHaveCount(0);
  await panel.getByRole("button", { name: "Ask for review" }).click();
  await expect(panel.getByRole("list", { name: "Reviews" })).toContainText("Review requested");
  await expect(panel.getByRole("alert")).toHaveCount(0);
});

test("the open review panel keeps what it shows while a run grows the branch (no 'Loading…'), fetches once per new end, and again on a comment", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  const created = await page.request.post("/api/sessions", {
    data: { task: `Review panel during a run [emulator:scenario=sum] ${Date.now()}`, modelId: "MiniMax-M2" },
  });
  expect(created.status()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string } };
  // the branch ends the page asked the reviews of, in order
  const fetched: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (request.method() === "GET" && url.pathname === `/api/sessions/${session.id}/reviews`) {
      fetched.push(url.searchParams.get("leaf") ?? "");
    }
  });
  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Review", exact: true }).click();
  const panel = page.getByRole("dialog", { name: "Review of this branch" });
  await expect(panel.getByText("No reviews of this branch yet.")).toBeVisible();

  // from here on, any moment the panel says "Loading…" is counted
  await page.evaluate(() => {
    const seen = window as unknown as { loadingSeen: number };
    seen.loadingSeen = 0;
    new MutationObserver(() => {
      const dialog = document.querySelector('[role="dialog"][aria-label="Review of this branch"]');
      if (dialog?.textContent?.includes("Loading…")) seen.loadingSeen++;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  // started through the API, so no click closes the panel
  expect((await page.request.post(`/api/sessions/${session.id}/runs`, { data: {} })).status()).toBe(202);
  await expect(runStatus(page)).toContainText("Done", { timeout: 60_000 });
  await expect(panel.getByText("No reviews of this branch yet.")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { loadingSeen: number }).loadingSeen)).toBe(0);
  // once per end the branch had, never again for the same end (not per streamed delta)
  expect(fetched.length).toBeGreaterThan(1);
  expect(new Set(fetched).size).toBe(fetched.length);

  // a verdict given elsewhere reaches the panel with the next review or comment event on the page
  const leaf = fetched.at(-1) as string;
  const approved = await page.request.post(`/api/sessions/${session.id}/reviews`, {
    data: { leafId: leaf, verdict: "approved" },
  });
  expect(approved.status()).toBe(201);
  const commented = await page.request.post(`/api/sessions/${session.id}/comments`, {
    data: { stepId: leaf, body: "Approved it from the API." },
  });
  expect(commented.status()).toBe(201);
  await expect(panel.getByRole("list", { name: "Reviews" })).toContainText("Approved");
  await expect(page.getByRole("button", { name: /^Review/ })).toContainText("Approved");
  expect(await page.evaluate(() => (window as unknown as { loadingSeen: number }).loadingSeen)).toBe(0);
});
