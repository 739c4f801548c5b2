import { expect, type Page } from "@playwright/test";
import { EMULATOR_PORT } from "./ports";

/** The emulator the e2e app talks to (see playwright.config.ts); its control endpoints inject faults. */
export const EMULATOR = `http://127.0.0.1:${EMULATOR_PORT}`;

export async function setFault(page: Page, fault: object | null) {
  const response = await page.request.post(`${EMULATOR}/__emulator/fault`, { data: fault });
  expect(response.ok()).toBe(true);
}

/** Creates a session through the API and opens it, once its event stream is live. */
export async function openNewSession(page: Page, task: string): Promise<string> {
  const response = await page.request.post("/api/sessions", { data: { task } });
  expect(response.status()).toBe(201);
  const { session } = (await response.json()) as { session: { id: string } };
  await page.goto(`/s/${session.id}`);
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  return session.id;
}

export const runStatus = (page: Page) => page.getByRole("status", { name: "Run status" });
export const rows = (page: Page, name: RegExp) => page.getByRole("listitem", { name });

/** Starts a comparison of MiniMax-M2 and claude-sonnet-4-5 from the home page and waits until both are done. */
export async function startComparison(page: Page) {
  await page.goto("/");
  await page.getByLabel("Coding task").fill("Write a sum function with tests [emulator:scenario=sum]");
  await page.getByLabel(/Compare models/).check();
  await expect(page.getByRole("checkbox", { name: "MiniMax-M2", exact: true })).toBeChecked();
  // a provider without a key is listed, disabled, with the variable that enables it
  await expect(page.getByRole("checkbox", { name: /^gpt-4o set OPENAI_API_KEY/ })).toBeDisabled();
  await page.getByRole("checkbox", { name: "claude-sonnet-4-5", exact: true }).check();
  await page.getByRole("button", { name: /Compare 2 models/ }).click();
  await expect(page).toHaveURL(/\/compare\/[0-9a-f-]{36}$/);
  const table = page.getByRole("table", { name: "Numbers per model" });
  await expect(table.getByRole("row", { name: /MiniMax-M2/ })).toContainText("done", { timeout: 45_000 });
  await expect(table.getByRole("row", { name: /claude-sonnet-4-5/ })).toContainText("done", { timeout: 45_000 });
  return table;
}

const vitest = 'import { describe, expect, it } from "vitest";\n';
/** Two suite tasks whose scripted answers (the emulator's scenarios) are known: sum passes, fizzbuzz fails its hidden test. */
export const SCRIPTED_SUITE_TASKS = [
  {
    id: "sum",
    title: "Sum",
    language: "typescript",
    prompt: "Write a sum function with tests [emulator:scenario=sum]",
    tests: {
      "hidden_sum.test.ts": `${vitest}import { sum } from "./src/sum";\ndescribe("sum", () => {\n  it("adds", () => expect(sum([1, 2, 3])).toBe(6));\n  it("is 0 for none", () => expect(sum([])).toBe(0));\n});\n`,
    },
  },
  {
    id: "fizzbuzz",
    title: "FizzBuzz",
    language: "typescript",
    prompt: "Write fizzbuzz [emulator:scenario=fizzbuzz]",
    tests: {
      "hidden_fizz.test.ts": `${vitest}import { fizzbuzz } from "./src/fizzbuzz";\ndescribe("fizzbuzz", () => {\n  it("refuses a negative count", () => expect(() => fizzbuzz(-1)).toThrow(RangeError));\n});\n`,
    },
  },
];
