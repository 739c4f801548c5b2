import { request } from "@playwright/test";
import { APP_PORT, GUEST_STATE } from "./ports";

/**
 * Every test starts signed in as one guest of the app Playwright started (its cookie in
 * GUEST_STATE, the config's storageState): pages and `page.request` act as that user.
 * Tests of sign-in itself open contexts without it.
 */
export default async function globalSetup() {
  const context = await request.newContext({ baseURL: `http://127.0.0.1:${APP_PORT}` });
  const response = await context.get("/api/auth/guest?next=/api/health");
  if (!response.ok()) throw new Error(`guest sign-in failed: ${response.status()}`);
  await context.storageState({ path: GUEST_STATE });
  await context.dispose();
}
