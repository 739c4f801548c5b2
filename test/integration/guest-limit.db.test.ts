import { expect, test } from "vitest";
import * as authRoute from "@/app/api/auth/[...all]/route";
import * as guestRoute from "@/app/api/auth/guest/route";

// Read once, on first use: set before anything in this file asks for the environment.
process.env.GUEST_ACCOUNTS_PER_MINUTE = "2";

/** A first visit's guest account from `address` (GET /api/auth/guest, as the proxy sends a browser). */
const visit = (address: string) =>
  guestRoute.GET(
    new Request("http://localhost/api/auth/guest?next=/", { headers: { "x-forwarded-for": address } }),
    undefined,
  );

/** A guest account from `address` through better-auth's own endpoint. */
const signInAnonymous = (address: string) =>
  authRoute.POST(
    new Request("http://localhost/api/auth/sign-in/anonymous", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost", "x-forwarded-for": address },
      body: "{}",
    }),
    { params: Promise.resolve({ all: ["sign-in", "anonymous"] }) },
  );

test("guest accounts past GUEST_ACCOUNTS_PER_MINUTE from one address are a 429 with Retry-After, by either endpoint", async () => {
  const first = await visit("198.51.100.7");
  expect(first.status).toBe(303);
  expect(first.headers.getSetCookie().length).toBeGreaterThan(0);
  expect((await signInAnonymous("198.51.100.7")).status).toBe(200);

  for (const refused of [await visit("198.51.100.7"), await signInAnonymous("198.51.100.7")]) {
    expect(refused.status).toBe(429);
    expect(refused.headers.getSetCookie()).toEqual([]);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = await refused.json();
    expect(body.error).toMatchObject({
      code: "rate_limit:guests",
      details: { retryAfterSeconds: retryAfter, limit: 2 },
    });
    expect(body.error.message).toMatch(/Try again in \d+ s/);
  }

  // a proxy's chain counts its last hop; another address is not held up, nor one of another /64
  expect((await visit("198.51.100.7, 203.0.113.9")).status).toBe(303);
  expect((await visit("2001:db8:1:1::1")).status).toBe(303);
  expect((await visit("2001:db8:1:1::2")).status).toBe(303);
  expect((await visit("2001:db8:1:1::3")).status).toBe(429);
  expect((await visit("2001:db8:1:2::1")).status).toBe(303);
});

test("signing in or up is not a guest account: it doesn't count", async () => {
  const address = "192.0.2.55";
  for (let i = 0; i < 3; i++) {
    const response = await authRoute.POST(
      new Request("http://localhost/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost", "x-forwarded-for": address },
        body: JSON.stringify({ email: "nobody@example.com", password: "not the password" }),
      }),
      { params: Promise.resolve({ all: ["sign-in", "email"] }) },
    );
    expect(response.status).toBe(401);
  }
  expect((await visit(address)).status).toBe(303);
});
