import { expect, type Page, test } from "@playwright/test";
import { shoot, teamOnSession } from "./team";

/**
 * Comments on lines of a file, written in the editor (issue 12): the owner selects lines of
 * the file a tool call wrote and comments with Ctrl+Alt+M; the marker appears in their
 * editor and, live, in the other member's, who comments on another line with the button
 * above the code; a reload shows both. A share link's visitor sees the markers' file but
 * no way to comment. Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

const TASK = `Write a sum function with tests [emulator:scenario=sum] fc-${Date.now()}`;

const filesOf = (page: Page) => page.getByRole("region", { name: "Files" });
const lineNumber = (page: Page, line: number) =>
  filesOf(page).locator(".monaco-editor .line-numbers", { hasText: new RegExp(`^${line}$`) });
const strip = (page: Page) => filesOf(page).getByRole("list", { name: "Comments on this file" });

async function openWithEditor(page: Page, sessionId: string) {
  await page.goto(`/s/${sessionId}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible({ timeout: 30_000 });
  // Monaco is a few MB of script: on a busy machine it takes a while
  await expect(lineNumber(page, 3)).toBeVisible({ timeout: 60_000 });
}

test("select lines of a file, comment on them; the marker shows live for the other person and after a reload", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const { sessionId, second, other } = await teamOnSession(page, browser, { role: "member", task: TASK });
  // one turn: thinking, write_file src/sum.ts, its result
  await page.request.patch(`/api/sessions/${sessionId}`, { data: { maxTurns: 1 } });
  expect((await page.request.post(`/api/sessions/${sessionId}/runs`, { data: {} })).status()).toBe(202);
  await expect
    .poll(
      async () => {
        const response = await page.request.get(`/api/sessions/${sessionId}/runs`);
        return ((await response.json()) as { runs: { status: string }[] }).runs[0]?.status;
      },
      { timeout: 30_000 },
    )
    .toBe("done");

  await openWithEditor(page, sessionId);
  await openWithEditor(second, sessionId);

  // the owner selects lines 2-3 by their numbers and presses Ctrl+Alt+M
  const files = filesOf(page);
  await lineNumber(page, 2).click();
  await lineNumber(page, 3).click({ modifiers: ["Shift"] });
  await expect(files.getByRole("button", { name: "Comment on lines 2–3" })).toBeVisible();
  await page.keyboard.press("Control+Alt+KeyM");
  const form = files.getByRole("region", { name: "New comment on lines" });
  await expect(form).toContainText("On src/sum.ts, lines 2–3");
  const field = form.getByRole("textbox", { name: "New comment" });
  await expect(field).toBeFocused();
  await field.fill("Start the reduce at 0, or sum([]) throws.");
  await shoot(page, "file-comment-form");
  await form.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(form).toHaveCount(0);
  await expect(strip(page)).toContainText("Lines 2–3 · Guest");
  await expect(files.locator(".monaco-editor .comment-glyph")).toHaveCount(1);
  await shoot(page, "file-comment-marker-new");

  // the other member sees it live, and comments on line 1 with the button
  await expect(strip(second)).toContainText("Lines 2–3 · Guest");
  await expect(filesOf(second).locator(".monaco-editor .comment-glyph")).toHaveCount(1);
  await lineNumber(second, 1).click();
  await filesOf(second).getByRole("button", { name: "Comment on line 1" }).click();
  const theirForm = filesOf(second).getByRole("region", { name: "New comment on lines" });
  await theirForm.getByRole("textbox", { name: "New comment" }).fill("Export it as default?");
  await theirForm.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(strip(page)).toContainText("Line 1 · Guest");

  // both stay after a reload, on the write_file step, with their lines
  await openWithEditor(page, sessionId);
  await expect(strip(page).getByRole("button")).toHaveText(["Line 1 · Guest", "Lines 2–3 · Guest"]);
  const listed = await page.request.get(`/api/sessions/${sessionId}/comments`);
  const { comments } = (await listed.json()) as { comments: { anchor: unknown }[] };
  expect(comments.map((comment) => comment.anchor)).toEqual(
    expect.arrayContaining([
      { kind: "file", path: "src/sum.ts", startLine: 2, endLine: 3 },
      { kind: "file", path: "src/sum.ts", startLine: 1, endLine: 1 },
    ]),
  );

  // a share link's visitor: the file, no comments and no way to write one
  const minted = await page.request.post(`/api/sessions/${sessionId}/shares`, { data: { scope: "tree" } });
  const { path } = (await minted.json()) as { path: string };
  const visitorContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const visitor = await visitorContext.newPage();
  await visitor.goto(path);
  await expect(lineNumber(visitor, 3)).toBeVisible({ timeout: 60_000 });
  await lineNumber(visitor, 2).click();
  await expect(filesOf(visitor).getByRole("button", { name: /^Comment on/ })).toHaveCount(0);
  await visitor.keyboard.press("Control+Alt+KeyM");
  await expect(filesOf(visitor).getByRole("region", { name: "New comment on lines" })).toHaveCount(0);
  await visitorContext.close();
  await other.close();
});
