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
