import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";

const work = mkdtempSync(join(tmpdir(), "interleave-e2e-project-"));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeTree(root: string, files: Record<string, string | Uint8Array>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const FOLDER = {
  "src/sum.ts": "export function sum(a, b) {\n  return a + b;\n}\n",
  "README.md": "# Sum\n\nAdds two numbers.\n",
};

const fileList = (page: Page) => page.getByRole("list", { name: "Files" });

async function createWithProject(page: Page, task: string): Promise<string> {
  const folder = join(work, "my-project");
  writeTree(folder, {
    ...FOLDER,
    "node_modules/dep/index.js": "module.exports = 1;\n",
    "logo.png": new Uint8Array([0x89, 0x50, 0, 0, 1]),
  });
  const zipPath = join(work, "lib.zip");
  writeFileSync(zipPath, zipSync({ "lib-main/lib/util.ts": strToU8("export const id = <T>(x: T) => x;\n") }));

  await page.goto("/");
  await page.getByLabel("Coding task").fill(task);
  await page.getByTestId("project-folder-input").setInputFiles(folder);
  await page.getByTestId("project-files-input").setInputFiles(zipPath);
  await page.getByRole("button", { name: "Paste a snippet" }).click();
  await page.getByLabel("Snippet file name").fill("notes/todo.md");
  await page.getByLabel("Snippet", { exact: true }).fill("- add types\n");
  await page.getByRole("button", { name: "Add snippet" }).click();
  const picked = page.getByRole("list", { name: "Starting files" });
  await expect(picked).toContainText("src/sum.ts");
  await expect(picked).toContainText("lib.zip");
  await expect(picked).toContainText("notes/todo.md");
  await expect(picked).not.toContainText("node_modules");
  await page.getByRole("button", { name: /New session/ }).click();
  await expect(page).toHaveURL(/\/s\/[\w-]+$/);
  return page.url().split("/s/")[1] as string;
}

test("a folder, a zip and a snippet become the project, shown in the editor before the first run", async ({ page }) => {
  await createWithProject(page, `Type the sum ${Date.now()}`);
  const files = fileList(page);
  for (const path of ["README.md", "lib/util.ts", "notes/todo.md", "src/sum.ts"]) {
    await expect(files.getByRole("button", { name: path })).toBeVisible();
  }
  await expect(files).not.toContainText("logo.png");
  await expect(page.getByText("1 file skipped at upload")).toBeVisible();
  await files.getByRole("button", { name: "src/sum.ts" }).click();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("export function sum(a, b)");
  await files.getByRole("button", { name: "lib/util.ts" }).click();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("export const id");

  await page.reload();
  await fileList(page).getByRole("button", { name: "src/sum.ts" }).click();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("return a + b;");
});

test("traversal and oversize uploads are refused with a clear message, and no session is made", async ({ page }) => {
  const evil = join(work, "evil.zip");
  writeFileSync(evil, zipSync({ "../../etc/cron.d/x": strToU8("boom") }));
  const big = join(work, "big.zip");
  writeFileSync(big, zipSync({ "big.txt": new Uint8Array(3 * 1024 * 1024).fill(0x61) }, { level: 9 }));

  await page.goto("/");
  await page.getByLabel("Coding task").fill("Should not be created");
  const alert = page.getByRole("form", { name: "New session" }).getByRole("alert");

  // A very long file name is cut short in the list; it doesn't widen the form past the page.
  const longName = `${"very-long-generated-file-name-".repeat(8)}.ts`;
  await page
    .getByTestId("project-files-input")
    .setInputFiles({ name: longName, mimeType: "text/plain", buffer: Buffer.from("x") });
  await expect(page.getByRole("list", { name: "Starting files" })).toContainText("very-long-generated");
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.getByRole("button", { name: "Remove all" }).click();

  await page.getByTestId("project-files-input").setInputFiles(evil);
  await page.getByRole("button", { name: /New session/ }).click();
  await expect(alert).toContainText("points outside the project");
  await expect(alert).toContainText("Nothing was imported");

  await page.getByRole("button", { name: "Remove all" }).click();
  await page.getByTestId("project-files-input").setInputFiles(big);
  await page.getByRole("button", { name: /New session/ }).click();
  await expect(alert).toContainText("larger than 1.0 MB");
  await expect(page).toHaveURL(/\/$/);
  await page.reload();
  await expect(page.getByRole("link", { name: "Should not be created" })).toHaveCount(0);
});

async function download(page: Page, item: string): Promise<Buffer> {
  await page.locator("summary", { hasText: "Export" }).click();
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: item }).click()]);
  return readFileSync((await file.path()) as string);
}

test("zip and patch downloads match the files at that step; export → import opens the same session", async ({
  page,
}) => {
  const task = `Downloads ${Date.now()}`;
  await createWithProject(page, task);
  // A person edits a starting file in the editor: a new step after the task.
  await fileList(page).getByRole("button", { name: "src/sum.ts" }).click();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("return a + b;");
  await page.getByRole("button", { name: "Edit file" }).click();
  await page.locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText("export const sum = (a: number, b: number): number => a + b;\n");
  await page.getByRole("button", { name: "Save file" }).click();
  await expect(page.getByRole("listitem", { name: /File edit/ })).toContainText("src/sum.ts saved in the editor.");

  const zip = unzipSync(new Uint8Array(await download(page, "Download .zip of these files")));
  const files = Object.fromEntries(Object.entries(zip).map(([path, bytes]) => [path, strFromU8(bytes)]));
  expect(files).toEqual({
    "README.md": FOLDER["README.md"],
    "lib/util.ts": "export const id = <T>(x: T) => x;\n",
    "notes/todo.md": "- add types\n",
    "src/sum.ts": "export const sum = (a: number, b: number): number => a + b;\n",
  });

  const patch = await download(page, "Download patch");
  const repo = join(work, "repo");
  writeTree(repo, { ...FOLDER, "lib/util.ts": files["lib/util.ts"] as string, "notes/todo.md": "- add types\n" });
  execFileSync("git", ["init", "-q"], { cwd: repo });
  writeFileSync(join(repo, "x.patch"), patch);
  execFileSync("git", ["apply", "x.patch"], { cwd: repo });
  expect(readFileSync(join(repo, "src/sum.ts"), "utf8")).toBe(files["src/sum.ts"]);

  // The zip at the task step (select it in the timeline) holds the starting files.
  await page
    .getByRole("listitem", { name: /Step 1: Task/ })
    .getByText(task)
    .click();
  const atTask = unzipSync(new Uint8Array(await download(page, "Download .zip of these files")));
  expect(strFromU8(atTask["src/sum.ts"] as Uint8Array)).toBe(FOLDER["src/sum.ts"]);

  const markdown = (await download(page, "Export branch (Markdown)")).toString();
  expect(markdown).toContain(`# ${task}`);
  // the whole branch on screen, not just up to the step selected
  expect(markdown).toContain("### Note from a person");

  const exported = join(work, "session.json");
  writeFileSync(exported, await download(page, "Export session (JSON)"));
  await page.goto("/");
  await page.getByTestId("import-input").setInputFiles(exported);
  await expect(page).toHaveURL(/\/s\/[\w-]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(task);
  await expect(page.getByRole("listitem", { name: /File edit/ })).toBeVisible();
  await fileList(page).getByRole("button", { name: "src/sum.ts" }).click();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("(a: number, b: number): number");

  const foreign = join(work, "foreign.json");
  writeFileSync(foreign, JSON.stringify({ hello: "world" }));
  await page.goto("/");
  await page.getByTestId("import-input").setInputFiles(foreign);
  await expect(page.getByText(/not an Interleave session export/)).toBeVisible();
});

test("an import that left a branch review out says so on the page, as a status that stays, with the session to open", async ({
  page,
}) => {
  const task = `Import notices ${Date.now()}`;
  const created = await page.request.post("/api/sessions", { data: { task } });
  expect(created.status()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string; activeLeafId: string } };
  const saved = await page.request.post(`/api/sessions/${session.id}/files`, {
    data: { afterStepId: session.activeLeafId, path: "a.txt", content: "a\n" },
  });
  expect(saved.status()).toBe(201);
  const { step } = (await saved.json()) as { step: { id: string } };
  const reviewed = await page.request.post(`/api/sessions/${session.id}/reviews`, {
    data: { leafId: step.id, verdict: "approved" },
  });
  expect(reviewed.status()).toBe(201);
  const exported = await (await page.request.get(`/api/sessions/${session.id}/export`)).json();
  // an older export's verdict on the task step, which the file step continues
  exported.reviews.push({
    leafId: session.activeLeafId,
    verdict: "requested",
    summary: "",
    by: "Ana",
    createdAt: new Date().toISOString(),
  });
  const file = join(work, "older-review.json");
  writeFileSync(file, JSON.stringify(exported));

  await page.goto("/");
  await page.getByTestId("import-input").setInputFiles(file);
  const notice = page.getByRole("status").filter({ hasText: "1 branch review was left out" });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("The rest was imported.");
  // news to read, not an error (Next.js's route announcer is an alert of its own, empty)
  await expect(page.getByRole("alert").filter({ hasText: /left out|import/i })).toHaveCount(0);
  // it stays to be read: the page does not move on from it
  await page.waitForTimeout(1500);
  await expect(notice).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  await notice.getByRole("link", { name: /Open the imported session/ }).click();
  await expect(page).toHaveURL(/\/s\/[\w-]+$/);
  expect(page.url()).not.toContain(session.id);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(task);
});

test("a large project's file tree groups files by folder and opens a folder on a click", async ({ page }) => {
  const files: Array<[string, string]> = [];
  for (let i = 0; i < 150; i++) files.push([`pkg${i % 3}/module${i}.ts`, `export const m${i} = ${i};\n`]);
  const response = await page.request.post("/api/sessions", {
    multipart: {
      task: "Large project",
      // Playwright's multipart takes one value per name: send the files as a zip.
      file: {
        name: "p.zip",
        mimeType: "application/zip",
        buffer: Buffer.from(zipSync(Object.fromEntries(files.map(([p, c]) => [`p/${p}`, strToU8(c)])))),
      },
      path: "p.zip",
    },
  });
  expect(response.status()).toBe(201);
  const { session } = (await response.json()) as { session: { id: string } };
  await page.goto(`/s/${session.id}`);
  const tree = fileList(page);
  await expect(tree.getByRole("button", { name: /^pkg1\/\s*50$/ })).toHaveAttribute("aria-expanded", "false");
  // the folder of the file shown first is open; the others hold no rows until opened
  await expect(tree.getByRole("button", { name: /^pkg0\/\s*50$/ })).toHaveAttribute("aria-expanded", "true");
  await expect(tree.getByRole("button", { name: "pkg1/module1.ts" })).toHaveCount(0);
  await tree.getByRole("button", { name: /pkg1\// }).click();
  await tree.getByRole("button", { name: "pkg1/module1.ts" }).click();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("export const m1 = 1;");
});
