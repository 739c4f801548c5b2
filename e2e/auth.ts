import type { BrowserContext } from "@playwright/test";

/**
 * A guest account on the app at `base`, as a first visit gets one (/api/auth/guest):
 * returns its Cookie header for fetch(), and puts the cookie into the browser context
 * when given, so pages and API calls act as the same user.
 */
export async function guestOn(base: string, context?: BrowserContext): Promise<string> {
  const response = await fetch(`${base}/api/auth/guest?next=/api/health`, { redirect: "manual" });
  const pairs = response.headers.getSetCookie().map((line) => line.split(";")[0] ?? "");
  if (pairs.length === 0) throw new Error(`no guest account from ${base}: ${response.status}`);
  if (context) {
    await context.addCookies(
      pairs.map((pair) => {
        const [name = "", ...value] = pair.split("=");
        return { name, value: value.join("="), url: base };
      }),
    );
  }
  return pairs.join("; ");
}

/** fetch() that sends this Cookie header (a guest's from guestOn) with every request. */
export function withCookie(cookie: string): typeof fetch {
  return (input, init = {}) =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), cookie } });
}
