/**
 * The origin links in mails start with: AUTH_URL (the address people open the app at)
 * when set, else the address the request was sent to — its Host header (one the app
 * answers to: the proxy refused any other, lib/http/request-rules.ts; Next.js's
 * `request.url` names the server's own host instead) with `X-Forwarded-Proto` when a proxy
 * says https or http, else the request's own protocol. Pure.
 */
export function appOrigin({
  authUrl,
  requestUrl,
  host,
  forwardedProto,
}: {
  authUrl: string | undefined;
  requestUrl: string;
  host: string | null;
  forwardedProto: string | null;
}): string {
  if (authUrl) return new URL(authUrl).origin;
  const own = new URL(requestUrl);
  const proto = forwardedProto?.split(",")[0]?.trim().toLowerCase();
  const protocol = proto === "https" || proto === "http" ? `${proto}:` : own.protocol;
  if (!host) return own.origin;
  try {
    return new URL(`${protocol}//${host}`).origin;
  } catch {
    return own.origin;
  }
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
