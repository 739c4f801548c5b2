import { type NextRequest, NextResponse } from "next/server";
import { accountFirstPath, hasSessionCookie, needsAccountFirst } from "@/lib/auth/paths";
import { AppError } from "./errors";
import { escapeUndecodableSegments, isDecodablePath } from "./input";
import {
  type AllowedHosts,
  allowedMethods,
  checkBodySize,
  checkBodyType,
  checkHost,
  checkOrigin,
  contentSecurityPolicy,
  HTTP_METHODS,
  matchApiRoute,
  privatePageHeaders,
  type ResponseKind,
  responseKind,
  SECURITY_HEADERS,
} from "./request-rules";

/** What the guard needs from the configuration (lib/env.ts, read by proxy.ts). */
export interface GuardOptions {
  allowedHosts: AllowedHosts;
  /** development: the page CSP allows 'unsafe-eval' for React's dev tooling */
  dev: boolean;
  /** AUTH_GUESTS: a browser without an account gets a guest one (else it is sent to sign in) */
  guests: boolean;
}

function withSecurityHeaders<R extends Response>(
  response: R,
  kind: ResponseKind,
  dev: boolean,
  pathname: string,
  nonce?: string,
): R {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  for (const [name, value] of Object.entries(privatePageHeaders(pathname))) response.headers.set(name, value);
  response.headers.set("Content-Security-Policy", contentSecurityPolicy({ kind, nonce, dev }));
  return response;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * A refusal in the caller's language: the JSON error shape for /api, a small page
 * (no scripts, no styles from anywhere) for a browser navigating to anything else.
 */
function refuse(error: AppError, kind: ResponseKind, headers: Record<string, string> = {}): NextResponse {
  if (kind === "api") return NextResponse.json(error.toBody(), { status: error.status, headers });
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Interleave</title></head><body><main><h1>${
    error.status === 403 ? "Not allowed" : "Can't open this page"
  }</h1><p>${escapeHtml(error.message)}</p></main></body></html>`;
  return new NextResponse(page, {
    status: error.status,
    headers: { ...headers, "content-type": "text/html; charset=utf-8" },
  });
}

/**
 * Every request's first stop (proxy.ts). In order: the Host must be allowed (403); a
 * path whose `%` escapes don't decode is a JSON 400 under /api and, for a page, is passed
 * on with the bad segment escaped once more, so the page says "not found"; a known API
 * path answers OPTIONS and 405 (JSON, with `Allow`) itself; writes must come from our own
 * origin or from a script (403), carry JSON (415) and fit in MAX_REQUEST_BYTES (413).
 * A page asked for without a sign-in cookie
 * is a redirect to get an account first (lib/auth/paths.ts). Every response, passed on or not,
 * gets the security headers; pages get a fresh CSP nonce, which Next.js reads from the
 * request's CSP header and puts on its scripts.
 */
export function guard(request: NextRequest, { allowedHosts, dev, guests }: GuardOptions): NextResponse {
  const { pathname } = request.nextUrl;
  const kind = responseKind(pathname);
  const method = request.method.toUpperCase();
  const done = (response: NextResponse) => withSecurityHeaders(response, kind, dev, pathname);

  const hostProblem = checkHost(request.headers.get("host"), allowedHosts);
  if (hostProblem) return done(refuse(hostProblem, kind));

  const decodable = isDecodablePath(pathname);
  if (!decodable && kind === "api") {
    return done(
      refuse(new AppError("bad_request:url", "The address has a broken %-escape: it can't be decoded."), kind),
    );
  }

  const known = kind === "api" ? matchApiRoute(pathname) : null;
  if (known) {
    const allow = allowedMethods(known.methods).join(", ");
    if (method === "OPTIONS") return done(new NextResponse(null, { status: 204, headers: { Allow: allow } }));
    if (!allow.split(", ").includes(method)) {
      const listed = (HTTP_METHODS as readonly string[]).includes(method) ? method : "this method";
      const error = new AppError(
        "method_not_allowed:route",
        `${listed} is not supported here. This address answers ${allow}.`,
      );
      return done(refuse(error, kind, { Allow: allow }));
    }
  }

  const writeProblem =
    checkOrigin(method, request.headers) ??
    checkBodySize(request.headers) ??
    (kind === "api" ? checkBodyType(method, request.headers, known?.bodies) : null);
  if (writeProblem) return done(refuse(writeProblem, kind));

  if (kind !== "document") return done(NextResponse.next());
  if (
    (method === "GET" || method === "HEAD") &&
    needsAccountFirst(pathname) &&
    !hasSessionCookie(request.headers.get("cookie"))
  ) {
    const target = accountFirstPath(`${pathname}${request.nextUrl.search}`, guests);
    return done(NextResponse.redirect(new URL(target, request.url), 307));
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy({ kind, nonce, dev });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const init = { request: { headers: requestHeaders } };
  const response = decodable
    ? NextResponse.next(init)
    : NextResponse.rewrite(
        new URL(`${escapeUndecodableSegments(pathname)}${request.nextUrl.search}`, request.url),
        init,
      );
  return withSecurityHeaders(response, kind, dev, pathname, nonce);
}
