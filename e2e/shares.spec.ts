import { type Browser, expect, type Page, test } from "@playwright/test";
import { openNewSession, rows, runStatus, setFault } from "./helpers";

/**
 * Share links and API tokens as people use them (issue 8 items 3, 4): the owner shares a
 * session from its page, an anonymous viewer in a second browser context watches a run
 * live through the link, loses it when the owner revokes or re-mints it, and a visitor
 * forks a shared branch into a session of their own; a bot uses a token made in
 * Settings from session to finished run. Screenshots of each new screen, light and dark.
 */

const OUT = process.env.SHOTS_DIR ?? "/tmp/shares-shots";
test.setTimeout(120_000);
test.afterEach(async ({ page }) => setFault(page, null));

/** A browser context with no account at all: what someone who was sent the link opens it in. */
async function anonymous(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

async function shots(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${OUT}/${colorScheme}-${name}.png`, animations: "disabled" });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** Share → a new link of `scope` from the dialog; returns its URL (shown once). */
async function makeLink(page: Page, scope: "The branch on screen" | "The whole tree", expiry = "Never") {
  const dialog = page.getByRole("dialog", { name: "Share this session" });
  if (!(await dialog.isVisible())) await page.getByRole("button", { name: "Share" }).click();
  await dialog.getByRole("radio", { name: new RegExp(scope) }).check();
  await dialog.getByLabel("Link expires").selectOption({ label: expiry });
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = await dialog.getByLabel("Share URL").inputValue();
  expect(url).toMatch(/\/share\/ils_[A-Za-z0-9_-]{43}$/);
  return url;
}

test("an anonymous viewer watches a run live through a link, and loses it when the owner revokes or re-mints it", async ({
  page,
  browser,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await openNewSession(
    page,
    "Write an LRU cache in TypeScript with tests, with a capacity, get and put, eviction of the least recently used entry and a benchmark",
  );
  const url = await makeLink(page, "The branch on screen", "In 7 days");
  const dialog = page.getByRole("dialog", { name: "Share this session" });
  await expect(dialog.getByRole("listitem", { name: "One branch link, active" })).toContainText("expires");
  await shots(page, "share-dialog");
  await dialog.getByRole("button", { name: "Close" }).click();

  const viewer = await anonymous(browser);
  await viewer.setViewportSize({ width: 1400, height: 900 });
  const opened = await viewer.goto(url);
  expect(opened?.status()).toBe(200);
  expect(opened?.headers()["x-robots-tag"]).toContain("noindex");
  expect(opened?.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(viewer.getByRole("heading", { name: /Write an LRU cache/ })).toBeVisible();
  await expect(viewer.getByText("Shared read-only · one branch")).toBeVisible();
  await expect(viewer.getByText("Live", { exact: true })).toBeVisible();
  // nothing of the workspace and nothing that changes the session
  await expect(viewer.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Run", exact: true })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /Branches/ })).toHaveCount(0);
  // opening the link made no account
  expect((await viewer.context().cookies()).map((cookie) => cookie.name)).toEqual([]);

  // The reply pauses a few words in, so the revoke lands mid-run however fast the machine streams.
  await setFault(page, { type: "stall", afterChunks: 30, ms: 3_000, times: 6 });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(viewer)).toContainText("Running");
  await expect(rows(viewer, /Thinking/).first()).toContainText("LRU cache");
  // the viewer's timeline keeps growing as the model works
  const steps = rows(viewer, /^Step \d+:/);
  const before = await steps.count();
  await expect.poll(() => steps.count(), { timeout: 30_000 }).toBeGreaterThan(before);
  await shots(viewer, "share-page-live");

  await page.getByRole("button", { name: "Share" }).click();
  await dialog.getByRole("button", { name: "Revoke…" }).click();
  await dialog.getByRole("button", { name: "Revoke link" }).click();
  await expect(dialog.getByRole("listitem", { name: "One branch link, revoked" })).toBeVisible();
  await expect(viewer.getByRole("alert").filter({ hasText: "revoked or replaced" })).toBeVisible();
  await expect(viewer.getByText("Not updating")).toBeVisible();
  await shots(viewer, "share-page-ended");
  const gone = await viewer.reload();
  expect(gone?.status()).toBe(404);
  await expect(viewer.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await shots(viewer, "share-page-gone");

  // Re-mint: the new URL works, the old one stops at once, also for a viewer watching it.
  const tree = await makeLink(page, "The whole tree");
  await viewer.goto(tree);
  await expect(viewer.getByText("Shared read-only · every branch")).toBeVisible();
  await expect(viewer.getByText("Live", { exact: true })).toBeVisible();
  await dialog
    .getByRole("listitem", { name: "Whole tree link, active" })
    .getByRole("button", { name: "Re-mint" })
    .click();
  await expect(dialog.getByRole("status", { name: "Share link" })).toContainText("the old one no longer works");
  const reminted = await dialog.getByLabel("Share URL").inputValue();
  expect(reminted).not.toBe(tree);
  await expect(viewer.getByRole("alert").filter({ hasText: "revoked or replaced" })).toBeVisible();
  expect((await viewer.goto(tree))?.status()).toBe(404);
  expect((await viewer.goto(reminted))?.status()).toBe(200);
  await expect(viewer.getByText("Shared read-only · every branch")).toBeVisible();

  await dialog.getByRole("button", { name: "Close" }).click();
  const stop = page.getByRole("button", { name: "Stop" });
  if (await stop.isVisible()) await stop.click();
  await expect(runStatus(page)).toContainText(/Stopped|Done/, { timeout: 30_000 });
  await viewer.context().close();
});

test("a visitor without an account forks a shared branch and lands on a session of their own", async ({
  page,
  browser,
}) => {
  const sourceId = await openNewSession(page, "Write a sum function [emulator:scenario=sum]");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 45_000 });
  const url = await makeLink(page, "The branch on screen");

  const visitor = await anonymous(browser);
  await visitor.goto(url);
  await expect(rows(visitor, /write_file/).first()).toBeVisible();
  const shared = await rows(visitor, /^Step \d+:/).count();
  await visitor.getByRole("button", { name: "Fork to my workspace" }).click();
  // a guest account first, then back to the link, which forks at once
  await expect(visitor).toHaveURL(/\/s\/[\w-]+$/, { timeout: 30_000 });
  expect(visitor.url()).not.toContain(sourceId);
  await expect(visitor.getByText("Forked from a shared session")).toBeVisible();
  await expect(visitor.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(rows(visitor, /write_file/).first()).toBeVisible();
  await expect(rows(visitor, /^Step \d+:/)).toHaveCount(shared);
  // it is theirs to run from
  await expect(visitor.getByRole("button", { name: "Run", exact: true })).toBeEnabled();
  await visitor.context().close();
});

test("a token made in Settings drives a bot from a new session to a finished run, then is revoked", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1200, height: 1000 });
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Access tokens" });
  await expect(section).toContainText("You have no tokens in this workspace.");
  await section.getByLabel("Token name").fill("Nightly CI on the main branch of a repository with a long name");
  await section.getByLabel("Acts as").selectOption("member");
  await section.getByLabel("Expires").selectOption({ label: "In 30 days" });
  await section.getByRole("button", { name: "Create token" }).click();
  const token = await section.getByLabel("API token").inputValue();
  expect(token).toMatch(/^ilv_[A-Za-z0-9_-]{43}$/);
  await expect(section.getByRole("status", { name: "New token" })).toContainText("only time it is shown");
  await shots(page, "settings-tokens");

  const base = new URL(page.url()).origin;
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const created = await fetch(`${base}/api/sessions`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" }),
  });
  expect(created.status).toBe(201);
  const { session } = (await created.json()) as { session: { id: string } };
  const started = await fetch(`${base}/api/sessions/${session.id}/runs`, { method: "POST", headers: auth, body: "{}" });
  expect(started.status).toBe(202);
  const { run } = (await started.json()) as { run: { id: string } };

  // follow the session's events until the run is no longer running
  const events = await fetch(`${base}/api/sessions/${session.id}/events`, { headers: auth });
  const reader = (events.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let status = "running";
  while (status === "running") {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (const match of buffer.matchAll(/^data: (.*)$/gm)) {
      const message = JSON.parse(match[1] as string) as { type: string; run?: { id: string; status: string } };
      if (message.type === "run.updated" && message.run?.id === run.id) status = message.run.status;
    }
    buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
  }
  await reader.cancel();
  expect(status).toBe("done");
  const runs = (await (await fetch(`${base}/api/sessions/${session.id}/runs`, { headers: auth })).json()) as {
    runs: { id: string; status: string }[];
  };
  expect(runs.runs.find((item) => item.id === run.id)?.status).toBe("done");
  const patch = await fetch(`${base}/api/sessions/${session.id}/patch`, { headers: auth });
  expect(await patch.text()).toContain("diff --git");

  await page.reload();
  const listed = section.getByRole("listitem", { name: /Nightly CI/ });
  await expect(listed).toContainText("last used");
  await expect(listed).toContainText("member");
  await listed.getByRole("button", { name: "Revoke…" }).click();
  await listed.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(listed).toContainText("revoked");
  expect((await fetch(`${base}/api/sessions`, { headers: auth })).status).toBe(401);

  // the workspace's share links, for those who manage them
  await expect(page.getByRole("region", { name: "Share links" })).toBeVisible();
  await page.getByRole("region", { name: "Share links" }).scrollIntoViewIfNeeded();
  await shots(page, "settings-shares");
});
