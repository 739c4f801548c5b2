/**
 * The origin links in mails start with: AUTH_URL (the address people open the app at)
 * when set, else the origin the request came to — its Host is one the app answers to,
 * since the proxy refused any other (lib/http/request-rules.ts). Pure.
 */
export function appOrigin({ authUrl, requestUrl }: { authUrl: string | undefined; requestUrl: string }): string {
  return new URL(authUrl ?? requestUrl).origin;
}

/**
 * better-auth's mailed link (`url`, its verify-email or reset-password address) with its
 * `callbackURL` set to `path`, the app page it lands on afterwards: whatever a client asked
 * for, a verification ends on /verify-email and a reset on /reset-password. The token is
 * in the path or signed; the callback is not part of it. Pure.
 */
export function landingOn(url: string, path: string): string {
  const link = new URL(url);
  link.searchParams.set("callbackURL", path);
  return link.toString();
}
