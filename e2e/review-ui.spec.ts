import { expect, type Page, test } from "@playwright/test";
import { EMULATOR, rows, runStatus } from "./helpers";
import { shoot } from "./team";

/**
 * The review half of issue 12 in the browser: a comment on lines of a file a tool call
 * wrote is a marker in Monaco (a glyph, the lines tinted, a list above the code) that opens
 * its thread; Send to model on a comment says first whether the model keeps its thinking
 * (after a tool result) or starts a fresh turn (after the task), and the run goes on with
 * the comment in that tool result (the emulator's request record shows it); the header's
 * review count follows a new comment without a reload, and /review lists the open threads,
 * the one that @mentions you marked; its author deletes a thread and its marker goes. Photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

const TASK = `Write a sum function with tests [emulator:scenario=sum] reviewui-${Date.now()}`;

type Step = { id: string; kind: string; providerData: { toolName?: string } | null };

async function runsOf(page: Page, sessionId: string): Promise<{ status: string }[]> {
  const response = await page.request.get(`/api/sessions/${sessionId}/runs`);
  return ((await response.json()) as { runs: { status: string }[] }).runs;
}

/** The emulator's record of this test's model requests (the task names them), oldest first. */
async function requestsOfTask(page: Page): Promise<any[]> {
  const response = await page.request.get(`${EMULATOR}/__emulator/requests`);
  const all = (await response.json()) as any[];
  return all.filter((request) => JSON.stringify(request.body.messages).includes(TASK));
}

test("file comments are markers in the editor; Send to model says what the model keeps, and the run goes on", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  const created = await page.request.post("/api/sessions", {
    data: { task: TASK, modelId: "MiniMax-M2", maxTurns: 1 },
  });
  expect(created.status()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string } };
  // one turn: thinking, write_file src/sum.ts, its result
  expect((await page.request.post(`/api/sessions/${session.id}/runs`, { data: {} })).status()).toBe(202);
  await expect.poll(async () => (await runsOf(page, session.id))[0]?.status, { timeout: 30_000 }).not.toBe("running");
  const view = await page.request.get(`/api/sessions/${session.id}/branch`);
  const { steps } = (await view.json()) as { steps: Step[] };
  const call = steps.find((step) => step.kind === "tool_call" && step.providerData?.toolName === "write_file");
  expect(call).toBeTruthy();
  const onLines = await page.request.post(`/api/sessions/${session.id}/comments`, {
    data: {
      stepId: call?.id,
      body: "@Guest start the reduce at 0, or sum([]) throws.",
      anchor: { kind: "file", path: "src/sum.ts", startLine: 2, endLine: 3 },
    },
  });
  expect(onLines.status()).toBe(201);

  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  const reviewLink = page.getByRole("link", { name: /^Review( \d+ waiting)?$/ });
  await expect(reviewLink).toHaveText(/^Review \d+/);
  const before = Number((await reviewLink.textContent())?.match(/\d+/)?.[0] ?? 0);
  expect(before).toBeGreaterThanOrEqual(1);

  // the editor shows src/sum.ts (the file the branch wrote last) with the thread marked
  const files = page.getByRole("region", { name: "Files" });
  const strip = files.getByRole("list", { name: "Comments on this file" });
  await expect(strip).toContainText("Lines 2–3 · Guest");
  // Monaco is a few MB of script: on a busy machine it takes a while
  await expect(files.locator(".monaco-editor .comment-gutter")).toHaveCount(2, { timeout: 60_000 });
  await expect(files.locator(".monaco-editor .comment-lines")).not.toHaveCount(0);
  const glyph = files.locator(".monaco-editor .comment-glyph");
  await expect(glyph).toHaveCount(1);
  await glyph.hover();
  await expect(page.locator(".monaco-hover").filter({ hasText: "start the reduce at 0" })).toBeVisible();
  // a click on the glyph opens the thread: the call's step is selected, its thread shown
  await glyph.click();
  const callRow = rows(page, /^Step 3: write_file/);
  await expect(callRow.getByRole("article", { name: /^Comment thread by Guest/ })).toContainText(
    "start the reduce at 0",
  );
  await expect(callRow.getByRole("article", { name: /^Comment thread/ })).toContainText("On src/sum.ts, lines 2–3");
  await shoot(page, "file-comment-marker");

  // a comment on the tool result, written here: the header counts it without a reload
  const result = rows(page, /^Step 4: Result/);
  await result.click();
  await result.getByRole("textbox", { name: "New comment" }).fill("Name the parameter numbers, not values.");
  await result.getByRole("button", { name: "Comment", exact: true }).click();
  const thread = result.getByRole("article", { name: /^Comment thread by Guest/ });
  await expect(thread).toContainText("Name the parameter numbers");
  await expect(reviewLink).toHaveAccessibleName(`Review ${before + 1} waiting`);

  // Send to model says first that the comment rides in the tool result: the model keeps its thinking
  await thread.getByRole("button", { name: "Send to model" }).click();
  const confirm = thread.getByRole("region", { name: "Send to model" });
  await expect(confirm).toContainText("The model keeps its thinking.");
  await shoot(page, "send-to-model");
  const requestsBefore = (await requestsOfTask(page)).length;
  await confirm.getByRole("button", { name: "Send and run" }).click();
  // the run goes on from the comment: a note, then the model's next turn writes the tests
  await expect(rows(page, /^Step 5: Note/)).toBeVisible();
  await expect(rows(page, /^Step 7: write_file/)).toBeVisible({ timeout: 30_000 });
  await expect(runStatus(page)).not.toContainText("Running", { timeout: 30_000 });
  const requests = await requestsOfTask(page);
  expect(requests.length).toBe(requestsBefore + 1);
  expect(JSON.stringify(requests.at(-1).body.messages.at(-1))).toContain(
    "After this result, a reviewer (Guest) commented:\\nName the parameter numbers, not values.",
  );

  // on the task there is no tool result before it: the model would start a fresh turn
  const task = rows(page, /^Step 1: Task/);
  await task.click();
  await task.getByRole("textbox", { name: "New comment" }).fill("Keep it in TypeScript.");
  await task.getByRole("button", { name: "Comment", exact: true }).click();
  const taskThread = task.getByRole("article", { name: /^Comment thread by Guest/ });
  await taskThread.getByRole("button", { name: "Send to model" }).click();
  await expect(taskThread.getByRole("region", { name: "Send to model" })).toContainText(
    "The model starts a fresh turn.",
  );
  await taskThread.getByRole("button", { name: "Cancel" }).click();
  await expect(taskThread.getByRole("region", { name: "Send to model" })).toHaveCount(0);

  // the Needs review page lists the open threads, newest first, the one mentioning you marked
  await reviewLink.click();
  const queue = page.getByRole("list", { name: "Waiting for review" });
  await expect(queue.getByRole("listitem").first()).toContainText("Keep it in TypeScript.");
  await expect(queue.getByRole("listitem").filter({ hasText: "start the reduce at 0" })).toContainText("Mentions you");
  await expect(page.getByText(/3 open comments · 1 mentions you/)).toBeVisible();
  await shoot(page, "review-queue-comments");
  // its link opens the session with the thread's step selected
  await queue.getByRole("link").filter({ hasText: "start the reduce at 0" }).click();
  const fileThread = rows(page, /^Step 3: write_file/).getByRole("article", { name: /^Comment thread/ });
  await expect(fileThread).toBeVisible();

  // its author deletes it: the thread and its marker go
  await fileThread.getByRole("button", { name: "Delete" }).click();
  await fileThread.getByRole("button", { name: "Yes, delete" }).click();
  await expect(fileThread).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Files" }).locator(".monaco-editor .comment-glyph")).toHaveCount(0);
});
