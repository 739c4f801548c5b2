import { describe, expect, test } from "vitest";
import { cookieCaller } from "@/lib/auth/session-caller";
import { accountCookie, authPost, guestCookie } from "../auth";

/**
 * Sign-up and sign-in don't tell which emails have an account (issue 8 item 5), checked
 * against better-auth's real endpoints as the app configures them: the same status,
 * headers and body for an email that has an account as for one that hasn't — field by
 * field, with the values that must differ (a new id, the email typed) compared by type —
 * and about the same time, since both paths hash the password with scrypt.
 */

const unique = () => `e${Date.now()}${Math.random().toString(36).slice(2, 8)}@example.com`;

/** A JSON value with its strings, numbers and booleans replaced by their type: what a caller could tell apart. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, shape(field)]));
  }
  return value === null ? null : typeof value;
}

/** The header names a response sends, besides the ones that differ per response anyway. */
const headerNames = (response: Response) =>
  [...response.headers.keys()].filter((name) => !["date", "content-length"].includes(name)).sort();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await action();
  return [result, performance.now() - started];
}

// scrypt is meant to be slow: each sign-up or sign-in takes a good part of a second on a busy machine
describe("which emails have an account stays unknown", { timeout: 300_000 }, () => {
  test("sign-up for a taken email answers as for a new one: status, headers, body, no cookie, no session", async () => {
    const taken = unique();
    await accountCookie(taken);
    const password = "a different password";
    for (const typed of [taken, taken.toUpperCase()]) {
      const again = await authPost("sign-up/email", { email: typed, password, name: "Ada" });
      const fresh = await authPost("sign-up/email", { email: unique(), password, name: "Ada" });
      expect(again.status).toBe(200);
      expect(again.status).toBe(fresh.status);
      expect(headerNames(again.response)).toEqual(headerNames(fresh.response));
      expect(again.cookie).toBe("");
      expect(fresh.cookie).toBe("");
      expect(shape(again.json)).toEqual(shape(fresh.json));
      // the values a caller sees: what they typed, a new id, nothing of the existing account's
      expect(again.json.user).toMatchObject({ email: taken, name: "Ada", emailVerified: false, image: null });
      expect({ ...again.json.user, id: 0, email: 0, createdAt: 0, updatedAt: 0 }).toEqual({
        ...fresh.json.user,
        id: 0,
        email: 0,
        createdAt: 0,
        updatedAt: 0,
      });
      expect(again.json.token).toBeNull();
    }
  });

  test("a guest signing up with a taken email gets the same answer and keeps being the guest", async () => {
    const taken = unique();
    await accountCookie(taken);
    const guest = await guestCookie();
    const before = await cookieCaller(new Request("http://localhost/", { headers: { cookie: guest } }));
    const again = await authPost("sign-up/email", { email: taken, password: "a different password", name: "G" }, guest);
    const fresh = await authPost("sign-up/email", { email: unique(), password: "a different password", name: "G" });
    expect(again.status).toBe(fresh.status);
    expect(shape(again.json)).toEqual(shape(fresh.json));
    expect(again.cookie).toBe("");
    const after = await cookieCaller(new Request("http://localhost/", { headers: { cookie: guest } }));
    expect(after).toMatchObject({ userId: before?.userId, workspaceId: before?.workspaceId });
  });

  test("sign-in with an unknown email and with a wrong password: same status, headers and body", async () => {
    const email = unique();
    await accountCookie(email);
    const wrong = await authPost("sign-in/email", { email, password: "not the password" });
    const unknown = await authPost("sign-in/email", { email: unique(), password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(headerNames(wrong.response)).toEqual(headerNames(unknown.response));
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.json.error).toMatchObject({ code: "unauthorized:auth", message: "Invalid email or password" });
  });

  test("both answers take about as long: the password is hashed whether or not the email has an account", async () => {
    const taken = unique();
    await accountCookie(taken);
    const password = "a different password";
    const signUp = { taken: [] as number[], fresh: [] as number[] };
    const signIn = { taken: [] as number[], unknown: [] as number[] };
    // alternated, so load on the machine weighs on both alike; skipping the hash for one would make it ~10× faster
    for (let i = 0; i < 3; i++) {
      signUp.taken.push((await timed(() => authPost("sign-up/email", { email: taken, password, name: "A" })))[1]);
      signUp.fresh.push((await timed(() => authPost("sign-up/email", { email: unique(), password, name: "A" })))[1]);
      signIn.taken.push((await timed(() => authPost("sign-in/email", { email: taken, password })))[1]);
      signIn.unknown.push((await timed(() => authPost("sign-in/email", { email: unique(), password })))[1]);
    }
    for (const [a, b] of [
      [median(signUp.taken), median(signUp.fresh)],
      [median(signIn.taken), median(signIn.unknown)],
    ] as const) {
      expect(Math.min(a, b) / Math.max(a, b)).toBeGreaterThan(0.5);
    }
  });
  test("a name past 80 characters is refused before anything else, alike for a taken email and a new one", async () => {
    const taken = unique();
    const cookie = await accountCookie(taken);
    const name = "N".repeat(200_000);
    const fresh = unique();
    for (const email of [taken, fresh]) {
      const signUp = await authPost("sign-up/email", { email, password: "correct horse battery", name });
      expect(signUp.status).toBe(400);
      expect(signUp.json.error).toEqual({
        code: "bad_request:validation",
        message: "Keep the name under 80 characters (this one has 200000).",
      });
    }
    expect((await authPost("update-user", { name }, cookie)).status).toBe(400);
    expect((await authPost("sign-in/email", { email: fresh, password: "correct horse battery" })).status).toBe(401);
  });
});
