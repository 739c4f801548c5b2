import { expect, test } from "@playwright/test";
import { SCRIPTED_SUITE_TASKS as TASKS } from "./helpers";

/**
 * Task suites in the browser: a run's page follows its progress to the report (pass@1 per
 * model, each task's session one click away), and the form imports a JSONL suite, starts it
 * and stops it. The emulator's scenario markers make the graded outcomes known in advance.
 */

test.describe.configure({ timeout: 120_000 });

test("a suite run's page follows it to the report; every task's session is one click away", async ({ page }) => {
  const response = await page.request.post("/api/suite-runs", {
    data: {
      suite: { name: "Two scripted tasks", tasks: TASKS },
      modelIds: ["MiniMax-M2", "offline-demo"],
      concurrency: 2,
    },
  });
  expect(response.status()).toBe(202);
  const { suiteRun } = (await response.json()) as { suiteRun: { id: string } };
  await page.goto(`/suites/${suiteRun.id}`);
  await expect(page.getByRole("heading", { name: "Two scripted tasks" })).toBeVisible();
  await expect(page.getByRole("status", { name: "Suite run status" })).toHaveText("Done", { timeout: 90_000 });
  await expect(page.getByRole("progressbar", { name: "Tasks finished" })).toHaveAttribute("aria-valuenow", "4");

  const chart = page.getByRole("list", { name: "pass@1 chart" });
  await expect(chart.getByRole("listitem")).toHaveText([
    /MiniMax-M2.*50\.0 % \(1\/2\)/,
    /offline-demo.*50\.0 % \(1\/2\)/,
  ]);
  const fizz = page.getByRole("row", { name: /FizzBuzz/ });
  await expect(fizz).toContainText("failed");
  await expect(fizz).toContainText("refuses a negative count");
  await expect(page.getByRole("row", { name: /Sum/ }).getByText("passed")).toHaveCount(2);

  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({
      path: `test-results/screens/suite-report-${colorScheme}.png`,
      fullPage: true,
      animations: "disabled",
    });
  }
  await page.emulateMedia({ colorScheme: "light" });

  await fizz.getByRole("link", { name: "Session: fizzbuzz on MiniMax-M2" }).click();
  await expect(page).toHaveURL(/\/s\//);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
});

test("the form imports a JSONL suite, starts it, and Stop ends it", async ({ page }) => {
  await page.goto("/suites");
  await page.getByLabel("Import JSONL (HumanEval or MBPP layout)").check();
  const line = (id: number) =>
    JSON.stringify({
      task_id: id,
      text: `Write a function to add two numbers, variant ${id}.`,
      code: "def add(a, b):\n    return a + b",
      test_list: ["assert add(1, 2) == 3"],
    });
  await page.getByLabel("JSONL file").setInputFiles({
    name: "mbpp-sample.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from([1, 2, 3, 4, 5, 6].map(line).join("\n")),
  });
  await page.getByRole("spinbutton", { name: "Sessions at once" }).fill("1");
  await page.getByRole("button", { name: "Start suite run" }).click();
  await expect(page).toHaveURL(/\/suites\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "mbpp-sample.jsonl" })).toBeVisible();
  await expect(page.getByRole("row", { name: /MBPP\/1/ })).toBeVisible();
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("status", { name: "Suite run status" })).toHaveText("Stopped", { timeout: 30_000 });
  await expect(page.getByText("cancelled").first()).toBeVisible();

  await page.goto("/suites");
  await expect(page.getByRole("link", { name: /mbpp-sample\.jsonl/ })).toContainText("cancelled");
});

test("the form's model choices keep each name on one line beside its checkbox, narrow and wide, light and dark", async ({
  page,
}) => {
  for (const width of [360, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/suites");
    const form = page.getByRole("form", { name: "Start a suite run" });
    const demo = form.getByRole("checkbox", { name: /Offline demo \(scripted\)/ });
    await expect(demo).toBeVisible();
    // the lines the name "Offline demo (scripted)" takes, and whether the checkbox sits on its first
    const layout = await demo.evaluate((checkbox) => {
      const name = "Offline demo (scripted)";
      const label = checkbox.closest("label") as HTMLLabelElement;
      const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(name) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + name.length);
        const rects = [...range.getClientRects()];
        const first = rects[0] as DOMRect;
        const box = checkbox.getBoundingClientRect();
        const middle = box.top + box.height / 2;
        return {
          lines: new Set(rects.map((rect) => Math.round(rect.top))).size,
          besideFirstLine: middle >= first.top && middle <= first.bottom,
        };
      }
      return null;
    });
    expect.soft(layout).toEqual({ lines: 1, besideFirstLine: true });
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await form.screenshot({
        path: `test-results/screens/suite-form-${width}-${colorScheme}.png`,
        animations: "disabled",
      });
    }
    await page.emulateMedia({ colorScheme: "light" });
  }
});
