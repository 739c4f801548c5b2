import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { EMULATOR, runStatus } from "./helpers";

/**
 * The plan gate with two people in two browsers (issue 12 items 2 and 8): the owner turns
 * "Ask before applying code" on and starts a run; the run pauses at each file write; a
 * member they invited approves the first, edits the second before approving it and rejects
 * the third with a comment. The emulator's request record shows what the model got each
 * time: the decision as that call's tool result, every earlier turn's thinking kept. The
 * pending step is photographed in light and dark (test-results/screens/).
 */

test.use({ storageState: { cookies: [], origins: [] } });

const TASK = `Write a sum function with tests [emulator:scenario=sum] gate-${Date.now()}`;

async function shoot(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `test-results/screens/${name}-${colorScheme}.png`, animations: "disabled" });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** The emulator's record of this test's model requests (the task names them), oldest first. */
async function requestsOfTask(page: Page): Promise<any[]> {
  const response = await page.request.get(`${EMULATOR}/__emulator/requests`);
  const all = (await response.json()) as any[];
  return all.filter((request) =>
    JSON.stringify(request.body.messages?.[0] ?? request.body.messages?.[1]).includes(TASK),
  );
}

/** The text of the tool result a request ends with (Anthropic route: a tool_result block). */
function lastToolResult(request: any): { text: string; isError: boolean } {
  const block = request.body.messages.at(-1).content.at(-1);
  expect(block.type).toBe("tool_result");
  const text = typeof block.content === "string" ? block.content : block.content.map((c: any) => c.text).join("");
  return { text, isError: block.is_error === true };
}

const waiting = (page: Page) => page.getByRole("region", { name: "Waiting for approval" });

test("two people: the owner turns the gate on, a member approves, edits then approves, and rejects", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const contexts: BrowserContext[] = [];
  /** errors thrown in either person's page (Monaco's diff editor threw on disposal) */
  const pageErrors: string[] = [];
  const open = async () => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  };
  try {
    // the owner (a guest with a workspace of their own) invites a member
    const owner = await open();
    await owner.goto("/");
    await expect(owner.getByRole("heading", { level: 1 }).first()).toBeVisible();
    const invited = await owner.request.post("/api/workspace/invitations", { data: { role: "member" } });
    expect(invited.status()).toBe(201);
    const { path: invitePath } = (await invited.json()) as { path: string };
    const member = await open();
    await member.goto(invitePath);
    await member.getByRole("link", { name: "Continue as a guest" }).click();
    await member.getByRole("button", { name: /Join .* as member/ }).click();
    await expect(member.getByRole("heading", { level: 1 }).first()).toBeVisible();

    // the owner makes a session, turns the gate on and runs it
    const created = await owner.request.post("/api/sessions", { data: { task: TASK, modelId: "MiniMax-M2" } });
    expect(created.status()).toBe(201);
    const { session } = (await created.json()) as { session: { id: string } };
    await owner.goto(`/s/${session.id}`);
    await expect(owner.getByText("Live", { exact: true })).toBeVisible();
    await owner.getByLabel("Ask before applying code").check();
    await expect(owner.getByLabel("Ask before applying code")).toBeChecked();
    await owner.getByRole("button", { name: "Run", exact: true }).click();
    await expect(waiting(owner)).toBeVisible({ timeout: 30_000 });
    await expect(runStatus(owner)).toContainText("Waiting for approval");
    await expect(owner.getByText("awaiting approval")).toBeVisible();
    // the owner looks at the proposed change: the Diff tab shows it, not applied yet
    await waiting(owner).getByRole("button", { name: "See the diff" }).click();
    await expect(owner.getByRole("region", { name: "Proposed change" })).toBeVisible();
    // src/sum.ts is a new file: all its lines added, no removed (empty) line 1 before them
    await expect(owner.getByText("new file")).toBeVisible();
    await expect(owner.locator(".monaco-editor .view-lines").last()).toContainText("export function sum");
    await owner.waitForTimeout(500); // Monaco paints its diff decorations
    await expect(owner.locator(".monaco-editor .line-insert").first()).toBeVisible();
    await expect(owner.locator(".monaco-editor .line-delete")).toHaveCount(0);
    await shoot(owner, "plan-gate-pending");

    // the member finds it on the home page, opens it and approves
    await member.goto("/");
    const pending = member.getByRole("region", { name: /Waiting for approval/ });
    await expect(pending.getByRole("link", { name: /write_file.*src\/sum.ts/ })).toBeVisible();
    await shoot(member, "plan-gate-home");
    await pending.getByRole("link", { name: /src\/sum\.ts/ }).click();
    await expect(waiting(member)).toBeVisible();
    await waiting(member).getByRole("button", { name: "Approve", exact: true }).click();
    // the run goes on, and pauses at the next write (the tests file), for both people
    await expect(member.getByText(/approved by /).first()).toBeVisible({ timeout: 30_000 });
    await expect(waiting(member)).toBeVisible({ timeout: 30_000 });
    await expect(owner.getByText(/approved by /).first()).toBeVisible();
    await expect(waiting(owner)).toBeVisible();

    // edit then approve: the member changes the proposed test file in the diff editor
    await waiting(member).getByRole("button", { name: "Edit, then approve" }).click();
    const proposal = member.getByRole("region", { name: "Proposed change" });
    await expect(proposal).toContainText("Edit the proposed file");
    const lines = member.locator(".monaco-editor .view-lines[role='presentation']");
    await expect(lines).toContainText("describe(");
    await lines.click();
    await member.keyboard.press("Control+End");
    await member.keyboard.type("\n// reviewed by the member\n");
    await shoot(member, "plan-gate-edit");
    await proposal.getByRole("button", { name: "Approve with my changes" }).click();
    await expect(member.getByText(/edited and approved by /)).toBeVisible({ timeout: 30_000 });

    // reject the third write (the edit of src/sum.ts) with a comment
    await expect(waiting(member)).toBeVisible({ timeout: 30_000 });
    await waiting(member).getByRole("button", { name: "Reject…" }).click();
    await member
      .getByLabel(/Why\? The model reads your comment/)
      .fill("Keep reduce without a seed; add a guard instead.");
    await member.getByRole("button", { name: "Reject and tell the model" }).click();
    await expect(member.getByText(/rejected by /)).toBeVisible({ timeout: 30_000 });
    await expect(runStatus(owner)).toContainText("Done", { timeout: 30_000 });
    expect(pageErrors).toEqual([]);

    // what the model received, from the emulator's record
    const requests = await requestsOfTask(owner);
    expect(requests).toHaveLength(4);
    for (const [turns, request] of requests.entries()) {
      expect(request.replay.ok).toBe(true);
      expect(request.replay.turnsWithThinking).toBe(turns);
    }
    expect(lastToolResult(requests[1]).text).toMatch(/^Wrote src\/sum\.ts/);
    expect(lastToolResult(requests[2]).text).toContain("edited your proposed content before approving it");
    expect(lastToolResult(requests[2]).text).toContain("+// reviewed by the member");
    const rejection = lastToolResult(requests[3]);
    expect(rejection.isError).toBe(true);
    expect(rejection.text).toContain("rejected this change, so it was not applied");
    expect(rejection.text).toContain("Their comment: Keep reduce without a seed; add a guard instead.");
    // no user message after the task: every decision rode in a tool result
    const userTexts = requests[3].body.messages
      .slice(1)
      .filter((message: any) => message.role === "user" && message.content.some((b: any) => b.type !== "tool_result"));
    expect(userTexts).toEqual([]);
  } finally {
    for (const context of contexts) await context.close();
  }
});
