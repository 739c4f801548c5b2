/**
 * Which pages need no account and where a browser without one is sent. Pure (the proxy,
 * route handlers and pages all import it).
 */

/** Cookie names are prefixed with this (`interleave.session_token`). */
export const COOKIE_PREFIX = "interleave";

/** The sign-in cookie's names: plain, and with `__Secure-` in front behind HTTPS. */
export const SESSION_COOKIES = [`${COOKIE_PREFIX}.session_token`, `__Secure-${COOKIE_PREFIX}.session_token`] as const;

/** Whether a Cookie header carries a sign-in cookie at all (no database look-up). */
export function hasSessionCookie(cookieHeader: string | null): boolean {
  if (!cookieHeader) return false;
  return cookieHeader
    .split(";")
    .some((pair) => (SESSION_COOKIES as readonly string[]).includes(pair.split("=")[0]?.trim() ?? ""));
}

/**
 * Pages anyone may open without an account: signing in or up, a forgotten password and its
 * reset, the landing of an email confirmation (opened from a mail, maybe on another
 * device), invitations, share links.
 */
export const PUBLIC_PAGES = [
  "/sign-in",
  "/sign-up",
  "/forgot-password",
  "/reset-password",
  "/verify-email",
  "/invite",
  "/share",
] as const;

/** Where the browser goes to get an account before a page (documents only; files like /icon.svg pass). */
export function needsAccountFirst(pathname: string): boolean {
  if (PUBLIC_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`))) return false;
  const last = pathname.split("/").pop() ?? "";
  return !last.includes(".");
}

/**
 * A `next` address to return to after signing in: a path on this site only (`/s/abc?x=1`),
 * never `//evil.example`, `/\evil`, a full URL or something with control characters; "/"
 * otherwise.
 */
export function safeNext(value: string | null | undefined): string {
  if (!value?.startsWith("/") || value.startsWith("//")) return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value) || value.length > 2000) return "/";
  return value;
}

/** Where a browser without an account goes first: a guest account when guests are on, else the sign-in page. */
export function accountFirstPath(next: string, guests: boolean): string {
  const back = encodeURIComponent(safeNext(next));
  return guests ? `/api/auth/guest?next=${back}` : `/sign-in?next=${back}`;
}
