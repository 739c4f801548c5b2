import { expect, type Locator, type Page, test } from "@playwright/test";
import { openNewSession, rows, runStatus, setFault } from "./helpers";

/**
 * The session page in a real browser: runs streaming from the MiniMax emulator into the
 * timeline and the editor, selecting steps, editing and regenerating, branches, failures
 * and stopping. The emulator's "sum" scenario answers any task that mentions "sum".
 */

const TASK = "Write a sum function in TypeScript with vitest tests";

async function runToTheEnd(page: Page) {
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
}

/** Row actions sit in a hover toolbar until the row is selected. */
async function rowAction(row: Locator, name: string) {
  await row.hover();
  await row.getByRole("button", { name, exact: true }).click();
}

test.afterEach(async ({ page }) => {
  await setFault(page, null);
});

test("a run streams into the timeline and the editor, all from this origin", async ({ page }) => {
  const foreign: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith("http") && url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
      foreign.push(request.url());
    }
  });
  await openNewSession(page, TASK);
  await runToTheEnd(page);

  await expect(rows(page, /Thinking/).first()).toBeVisible();
  await expect(rows(page, /write_file/)).toHaveCount(2);
  await expect(rows(page, /Response/)).toContainText("Summary");
  const files = page.getByRole("list", { name: "Files" });
  await expect(files.getByRole("button")).toHaveText(["src/sum.test.ts", "src/sum.ts"]);
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("export function sum");
  await expect(runStatus(page)).toContainText("4 turns");

  await page.reload();
  await expect(rows(page, /write_file/)).toHaveCount(2);
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("export function sum");
  expect(foreign).toEqual([]);
});

test("selecting a step shows the files as they were then, and its diff", async ({ page }) => {
  await openNewSession(page, TASK);
  await runToTheEnd(page);

  await rows(page, /write_file/)
    .first()
    .getByText(/Adds every number/)
    .click();
  const files = page.getByRole("list", { name: "Files" });
  await expect(files.getByRole("button")).toHaveCount(1);
  await expect(files.getByRole("button")).toContainText("src/sum.ts");
  // Before the fix later in the run: reduce without an initial value.
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("total + value);");

  await page.getByRole("tab", { name: /Diff/ }).click();
  await expect(page.getByText("new file")).toBeVisible();
  await expect(page.locator(".monaco-editor .line-insert").first()).toBeVisible();

  // ↓ moves the selection to the tool's result, which shows the same change.
  await page.getByRole("region", { name: /Timeline/ }).focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.locator("li[aria-current='step']")).toHaveAccessibleName(/Result/);
  await expect(page.getByText("new file")).toBeVisible();
  await page.keyboard.press("k");
  await expect(page.locator("li[aria-current='step']")).toHaveAccessibleName(/write_file/);

  // the next new file, the Diff tab still open: every one of its lines is added, not as many as the first file had
  await rows(page, /write_file/)
    .nth(1)
    .getByText(/import \{ sum \}/)
    .click();
  await expect(page.locator("li[aria-current='step']")).toHaveAccessibleName("Step 6: write_file");
  const lineNumbers = page.locator(".monaco-editor .line-numbers");
  await expect(lineNumbers).toHaveCount(17);
  await expect(page.locator(".monaco-editor .line-insert")).toHaveCount(17);
});

test("editing a thinking step makes a new branch; the original stays one click away", async ({ page }) => {
  await openNewSession(page, TASK);
  await runToTheEnd(page);

  const thinking = rows(page, /Thinking/).first();
  await rowAction(thinking, "Edit");
  await page.getByRole("textbox", { name: "Step content" }).fill("I will write src/sum.ts with a plain for loop.");
  await page.getByRole("button", { name: "Save & regenerate" }).click();

  const edited = rows(page, /Thinking/).first();
  await expect(edited).toContainText("a plain for loop");
  await expect(edited).toContainText("edited");
  await expect(edited).toContainText("Alternative 2 of 2");
  await expect(page).toHaveURL(/\?leaf=/);
  await expect(runStatus(page)).not.toContainText(/Running|Starting/, { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Branches (2)" })).toBeVisible();

  await rowAction(edited, "Show diff against original");
  await expect(edited.getByText("Changes against the original")).toBeVisible();
  await expect(edited.locator("ins").filter({ hasText: "plain" })).toBeVisible();

  await edited.getByRole("button", { name: "Previous alternative" }).click();
  const original = rows(page, /Thinking/).first();
  await expect(original).toContainText("The task asks for a sum function");
  await expect(original).toContainText("Alternative 1 of 2");
  await expect(rows(page, /write_file/)).toHaveCount(2);

  await page.getByRole("button", { name: "Branches (2)" }).click();
  const panel = page.getByRole("dialog", { name: "Branches" });
  await panel.getByRole("checkbox", { name: "Pick branch 1 to compare" }).check();
  await panel.getByRole("checkbox", { name: "Pick branch 2 to compare" }).check();
  await panel.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByRole("heading", { name: "Compare branches" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Branch A" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Branch B" })).toContainText("edited");
  await page.getByRole("button", { name: "Close comparison" }).click();
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeVisible();
});

test("a failed run keeps its steps and says why; Retry continues from the last done step", async ({ page }) => {
  await openNewSession(page, TASK);
  // The connection drops in the middle of the first answer.
  await setFault(page, { type: "drop", afterChunks: 12, times: 10 });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The run failed." })).toBeVisible({ timeout: 30_000 });
  await expect(rows(page, /Thinking/).first()).toContainText("The task asks for a sum function");

  await setFault(page, null);
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
  await expect(page.getByRole("alert").filter({ hasText: "The run failed." })).toHaveCount(0);
  await expect(rows(page, /write_file/)).toHaveCount(2);
});

test("Esc stops a run and keeps what streamed; Ctrl+Enter runs again", async ({ page }) => {
  // The "long" scenario (an LRU cache) streams for several seconds.
  const sessionId = await openNewSession(page, "Write an LRU cache in TypeScript with tests");

  // In a dialog, Escape closes the dialog and leaves the run alone. The dialog opens before
  // the run starts (through the API): on a loaded machine, finding a button while the steps
  // stream took longer than the run.
  await page.getByRole("button", { name: "Share" }).click();
  const share = page.getByRole("dialog");
  await expect(share).toBeVisible();
  const started = await page.request.post(`/api/sessions/${sessionId}/runs`, { data: {} });
  expect(started.status()).toBe(202);
  await page.keyboard.press("Escape");
  await expect(share).toBeHidden();
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(runStatus(page)).not.toContainText("Stopped");
  await expect(rows(page, /Thinking/).first()).toContainText("LRU cache");

  await page.keyboard.press("Escape");
  await expect(runStatus(page)).toContainText("Stopped", { timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeVisible();
  // Whatever had streamed when it stopped stays (a step cut mid-way is marked interrupted).
  await expect(rows(page, /Thinking/).first()).toContainText("The task is an LRU cache");

  await page.keyboard.press("Control+Enter");
  await expect(runStatus(page)).not.toContainText("Stopped");
});

test("a person saves a file in the editor: a new step on the branch", async ({ page }) => {
  await openNewSession(page, TASK);
  await runToTheEnd(page);

  await page.getByRole("list", { name: "Files" }).getByRole("button", { name: "src/sum.ts", exact: true }).click();
  await page.getByRole("button", { name: "Edit file" }).click();
  await expect(page.getByRole("button", { name: "Save file" })).toBeDisabled();
  await page.locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("// reviewed by a person");
  await page.getByRole("button", { name: "Save file" }).click();

  const saved = rows(page, /File edit/);
  await expect(saved).toHaveCount(1);
  await expect(saved).toContainText("src/sum.ts saved in the editor.");
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("// reviewed by a person");
  await expect(page.getByRole("button", { name: "Edit file" })).toBeEnabled();
});
