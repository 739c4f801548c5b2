import { expect, type Locator, type Page, test } from "@playwright/test";
import { openNewSession, runStatus } from "./helpers";
import { shoot } from "./team";

/**
 * The session page's later code (issue 13: first-load JavaScript ≤ 150 KiB): the timeline,
 * the run composer, the session's header and the toolbar's branch controls are not in the
 * page's first chunks but in their own, asked for as the page hydrates
 * (components/ui/hydrate-later.tsx). Until their code arrives their
 * server HTML must stay as it is — no fallback in its place, the same nodes, focus kept —
 * even though the stream goes live and the view renders again meanwhile, and once it
 * arrives they must work with the view's current state.
 */

const TASK = "Write a sum function in TypeScript with vitest tests";

/** Each later chunk, known by a text only its code holds. */
const LATER_CODE: ReadonlyArray<[name: string, marker: string]> = [
  ["run composer", "Nothing has run on this branch yet."],
  ["timeline", "Follow the stream"],
  ["session header", "Delete this session?"],
  ["branch controls", "Loading branches…"],
];

const hydrated = (element: Locator) =>
  element.evaluate((node) => Object.keys(node).some((key) => key.startsWith("__reactFiber")));
const probe = (element: Locator) => element.evaluate((node) => (node as Node & { probe?: true }).probe === true);

/** Holds back every later chunk `page` asks for from now on until `release()`; `held` names those asked for. */
async function holdLaterCode(page: Page) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const held = new Set<string>();
  await page.route("**/_next/static/chunks/**", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    const later = LATER_CODE.find(([, marker]) => body.includes(marker));
    if (later) {
      held.add(later[0]);
      await released;
    }
    await route.fulfill({ response, body });
  });
  return { held, release };
}

test("the later parts of the session page keep their server HTML until their code arrives, then work", async ({
  page,
}) => {
  // Monaco's first evaluation holds the main thread for seconds on a loaded 2-core machine.
  test.setTimeout(180_000);
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await openNewSession(page, TASK);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 60_000 });

  const { held, release } = await holdLaterCode(page);
  await page.reload();

  // The page is live (the stream's snapshot folded, the view rendered again) while the later chunks are held.
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await expect.poll(() => [...held].sort()).toEqual(["branch controls", "run composer", "session header", "timeline"]);
  const run = page.getByRole("button", { name: "Run", exact: true });
  const timeline = page.locator('section[aria-label^="Timeline"]');
  const gate = page.getByRole("checkbox", { name: "Ask before applying code" });
  const branches = page.getByRole("button", { name: /^Branches \(/ });
  const later = [run, timeline, gate, branches];
  await expect(run).toBeVisible();
  await expect(runStatus(page)).toContainText("Done");
  await expect(timeline.getByRole("listitem").first()).toBeVisible();
  for (const element of later) {
    await expect(element).toBeVisible();
    expect(await hydrated(element)).toBe(false);
    await element.evaluate((node) => {
      (node as Node & { probe?: true }).probe = true;
    });
  }
  await run.focus();
  // Events keep arriving meanwhile (presence, comments): give the view time to render them.
  await page.waitForTimeout(1_000);
  for (const element of later) expect(await probe(element)).toBe(true);

  release();
  for (const element of later) await expect.poll(() => hydrated(element)).toBe(true);
  // The same nodes, hydrated in place: nothing was thrown away and drawn again.
  for (const element of later) expect(await probe(element)).toBe(true);
  await expect(run).toBeFocused();

  // The header and the branch list work: rename opens its form, the branch list its dialog.
  await page.getByRole("button", { name: /^Rename / }).click();
  await expect(page.getByRole("textbox", { name: "Session title" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("textbox", { name: "Session title" })).toBeHidden();
  await branches.click();
  await expect(page.getByRole("dialog", { name: "Branches" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Branches" })).toBeHidden();

  // Hydrated with the view's current state: Run starts a run from the end of the branch (the
  // emulator's finished scenario answers it with nothing, so it fails at once: no longer Done).
  await run.click();
  await expect(runStatus(page)).not.toContainText("Done", { timeout: 30_000 });
  expect(problems.filter((text) => /hydrat|did not match|#41[89]|#42[0-9]/i.test(text))).toEqual([]);
});

test("a click on a later part before its code arrives takes effect once it does", async ({ page }) => {
  test.setTimeout(180_000);
  await openNewSession(page, TASK);
  const { held, release } = await holdLaterCode(page);
  await page.reload();
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  await expect.poll(() => [...held].sort()).toEqual(["branch controls", "run composer", "session header", "timeline"]);

  // Right after the page loads, before the header's and the composer's code: the plan gate, Share, Run.
  const gate = page.getByRole("checkbox", { name: "Ask before applying code" });
  await expect(gate).not.toBeChecked();
  await gate.click();
  await page.getByRole("button", { name: "Share", exact: true }).click();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  // Held, not lost and not half done: the checkbox did not toggle on its own, nothing opened or ran.
  await page.waitForTimeout(500);
  await expect(gate).not.toBeChecked();
  await expect(page.getByRole("dialog", { name: "Share this session" })).toBeHidden();
  await expect(runStatus(page)).toHaveCount(0);

  release();
  await expect(page.getByRole("dialog", { name: "Share this session" })).toBeVisible({ timeout: 60_000 });
  await expect(gate).toBeChecked();
  await expect(runStatus(page)).toBeVisible({ timeout: 60_000 });
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Share this session" })).toBeHidden();
  await shoot(page, "session-after-early-clicks");
});
