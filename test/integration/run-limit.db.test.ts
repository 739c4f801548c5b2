import { afterAll, expect, test } from "vitest";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { stopSessionRuns } from "@/lib/agent/run";
import { callRoute } from "../api";
import { guestCookie } from "../auth";

// Read once, on first use: set before anything in this file asks for the environment.
process.env.RUN_STARTS_PER_MINUTE = "2";

const sessions: string[] = [];

afterAll(async () => {
  for (const id of sessions) await stopSessionRuns(id);
});

async function newSession(cookie: string) {
  const { json } = await callRoute(sessionsRoute.POST, { method: "POST", cookie, body: { task: "Write fizzbuzz" } });
  sessions.push(json.session.id);
  return json.session.id as string;
}

test("a user's run starts past RUN_STARTS_PER_MINUTE are a 429 with Retry-After; another user is not held up", async () => {
  const cookie = await guestCookie();
  for (let i = 0; i < 2; i++) {
    const started = await callRoute(runsRoute.POST, {
      method: "POST",
      cookie,
      params: { id: await newSession(cookie) },
      body: {},
    });
    expect(started.status).toBe(202);
  }
  const refused = await callRoute(runsRoute.POST, {
    method: "POST",
    cookie,
    params: { id: await newSession(cookie) },
    body: {},
  });
  expect(refused.status).toBe(429);
  expect(refused.json.error.code).toBe("rate_limit:runs");
  expect(Number(refused.response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(Number(refused.response.headers.get("retry-after"))).toBeLessThanOrEqual(60);

  const other = await guestCookie();
  const theirs = await callRoute(runsRoute.POST, {
    method: "POST",
    cookie: other,
    params: { id: await newSession(other) },
    body: {},
  });
  expect(theirs.status).toBe(202);
});
