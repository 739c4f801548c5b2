import * as authRoute from "@/app/api/auth/[...all]/route";
import { switchWorkspace } from "@/lib/auth/members";
import { cookieCaller, signedIn } from "@/lib/auth/session-caller";
import { getPrisma } from "@/lib/db/client";

/**
 * Signing in through the real better-auth endpoints (app/api/auth/[...all]), for tests:
 * each helper returns the `cookie` header value a browser would send afterwards.
 */

/** POSTs JSON to /api/auth/<path> as a same-origin page would; returns the response and its cookies. */
export async function authPost(
  path: string,
  body: unknown,
  cookie?: string,
): Promise<{ status: number; json: any; cookie: string; response: Response }> {
  const request = new Request(`http://localhost/api/auth/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: "http://localhost",
      // better-auth limits sign-ins per client address; each test call is a client of its own
      "x-forwarded-for": `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });
  const response = await authRoute.POST(request, { params: Promise.resolve({ all: path.split("/") }) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, cookie: cookiesOf(response), response };
}

/** The `name=value` pairs a response sets, joined as a Cookie header (empty values: cleared cookies, left out). */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0] ?? "")
    .filter((pair) => pair && !pair.endsWith("="))
    .join("; ");
}

/** A new guest account (what a first visit gets); its cookie. */
export async function guestCookie(): Promise<string> {
  const { status, cookie, json } = await authPost("sign-in/anonymous", {});
  if (status !== 200) throw new Error(`guest sign-in failed: ${status} ${JSON.stringify(json)}`);
  return cookie;
}

/** A new account with an email and password, signed in; its cookie. `cookie`: a guest's, which it claims. */
export async function accountCookie(email: string, password = "correct horse battery", cookie?: string) {
  const signUp = await authPost("sign-up/email", { email, password, name: email.split("@")[0] }, cookie);
  if (signUp.status !== 200) throw new Error(`sign-up failed: ${signUp.status} ${JSON.stringify(signUp.json)}`);
  const signIn = await authPost("sign-in/email", { email, password }, cookie);
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${JSON.stringify(signIn.json)}`);
  return signIn.cookie;
}

let testUser: Promise<string> | undefined;

/**
 * This test file's signed-in user (a guest, made on first use): the cookie every test
 * request carries unless it says otherwise. In a fresh database it is the first account,
 * so it owns the instance's "local" workspace.
 */
export function testUserCookie(): Promise<string> {
  testUser ??= guestCookie();
  return testUser;
}

/** The same request, sent by this test file's user. */
export async function asTestUser(request: Request): Promise<Request> {
  const headers = new Headers(request.headers);
  headers.set("cookie", await testUserCookie());
  return new Request(request, { headers });
}

/**
 * Two people of one workspace, each a guest named as given: the owner (the workspace is
 * theirs) and a second person added with `role` and switched into it. Their cookies.
 */
export async function workspaceOfTwo(
  ownerName: string,
  second: { name: string; role: "admin" | "member" | "viewer" },
): Promise<{ owner: string; second: string }> {
  const owner = await guestCookie();
  const caller = await cookieCaller(new Request("http://localhost/", { headers: { cookie: owner } }));
  if (!caller?.userId) throw new Error("the owner has no account");
  const prisma = await getPrisma();
  await prisma.user.update({ where: { id: caller.userId }, data: { name: ownerName } });
  const cookie = await guestCookie();
  const browser = await signedIn(new Request("http://localhost/", { headers: { cookie } }));
  if (!browser) throw new Error("the second person has no account");
  await cookieCaller(new Request("http://localhost/", { headers: { cookie } }));
  await prisma.user.update({ where: { id: browser.user.id }, data: { name: second.name } });
  await prisma.member.create({ data: { workspaceId: caller.workspaceId, userId: browser.user.id, role: second.role } });
  await switchWorkspace({
    authSessionId: browser.authSessionId,
    userId: browser.user.id,
    workspaceId: caller.workspaceId,
  });
  return { owner, second: cookie };
}
