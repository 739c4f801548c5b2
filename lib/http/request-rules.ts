import type { Scope } from "@/lib/auth/scopes";
import { bearerToken } from "@/lib/auth/tokens";
import { AppError } from "./errors";
import { quote } from "./input";

/**
 * The rules every request passes before a page or route handler sees it (applied by
 * lib/http/guard.ts from proxy.ts): the Host must be one the app serves (DNS rebinding),
 * writes must come from the app's own pages or from a script (cross-site requests), and
 * their bodies must be JSON. Pure functions over headers, so each rule is unit-tested.
 */

export const HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Methods that only read: no Origin or body rules apply to them. */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(value: string): boolean {
  return value.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** What a route's writes may carry: JSON, or also a multipart form (file uploads). */
export type BodyType = "json" | "multipart";

/** What a route method needs of its caller: a scope (lib/auth/scopes.ts), or nothing (`public`: health, metrics). */
export type RouteScope = Scope | "public";

/**
 * One API route: its path with `[param]` segments, the methods its route.ts exports, the
 * scope each method needs, the bodies its writes take.
 */
export interface ApiRoute {
  path: string;
  methods: readonly HttpMethod[];
  /** Per exported method; the handler declares the same (lib/http/route.ts, checked by the route corpus test). */
  scopes: Readonly<Partial<Record<HttpMethod, RouteScope>>>;
  /** Default: JSON only. */
  bodies?: readonly BodyType[];
  /** The methods a share link's viewer may call (what the shared page shows); default none. */
  share?: readonly HttpMethod[];
}

/**
 * Every API route, the methods its route.ts exports and the scope each needs (the
 * permission matrix of issue 8 is generated from it). The proxy answers 405 (with
 * `Allow`) and OPTIONS from this table, and refuses bodies a route doesn't take; a test
 * checks that it matches the route files exactly (test/integration/route-corpus.db.test.ts).
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { path: "/api/account", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/account/workspace", methods: ["POST"], scopes: { POST: "sessions:read" } },
  { path: "/api/approvals", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/auth/guest", methods: ["GET"], scopes: { GET: "public" } },
  { path: "/api/comparisons", methods: ["POST"], scopes: { POST: "runs:start" } },
  { path: "/api/comparisons/[id]", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/health", methods: ["GET"], scopes: { GET: "public" } },
  { path: "/api/metrics", methods: ["GET"], scopes: { GET: "public" } },
  { path: "/api/reviews", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/runs/[runId]", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/runs/[runId]/cancel", methods: ["POST"], scopes: { POST: "runs:start" } },
  {
    path: "/api/sessions",
    methods: ["GET", "POST"],
    scopes: { GET: "sessions:read", POST: "sessions:write" },
    bodies: ["json", "multipart"],
  },
  { path: "/api/sessions/fork", methods: ["POST"], scopes: { POST: "sessions:write" } },
  { path: "/api/sessions/import", methods: ["POST"], scopes: { POST: "sessions:write" } },
  {
    path: "/api/sessions/[id]",
    methods: ["GET", "PATCH", "DELETE"],
    scopes: { GET: "sessions:read", PATCH: "sessions:write", DELETE: "sessions:write" },
    share: ["GET"],
  },
  { path: "/api/sessions/[id]/branch", methods: ["GET"], scopes: { GET: "sessions:read" }, share: ["GET"] },
  { path: "/api/sessions/[id]/branches", methods: ["GET"], scopes: { GET: "sessions:read" } },
  {
    path: "/api/sessions/[id]/comments",
    methods: ["GET", "POST"],
    scopes: { GET: "sessions:read", POST: "comments:write" },
  },
  {
    path: "/api/sessions/[id]/comments/[commentId]",
    methods: ["PATCH", "DELETE"],
    scopes: { PATCH: "comments:write", DELETE: "comments:write" },
  },
  {
    path: "/api/sessions/[id]/comments/[commentId]/send",
    methods: ["GET", "POST"],
    scopes: { GET: "runs:start", POST: "runs:start" },
  },
  { path: "/api/sessions/[id]/download", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/sessions/[id]/events", methods: ["GET"], scopes: { GET: "sessions:read" }, share: ["GET"] },
  { path: "/api/sessions/[id]/presence", methods: ["POST"], scopes: { POST: "sessions:read" }, share: ["POST"] },
  {
    path: "/api/sessions/[id]/reviews",
    methods: ["GET", "POST"],
    scopes: { GET: "sessions:read", POST: "reviews:write" },
  },
  { path: "/api/sessions/[id]/export", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/sessions/[id]/files", methods: ["POST"], scopes: { POST: "steps:edit" } },
  { path: "/api/sessions/[id]/patch", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/sessions/[id]/runs", methods: ["GET", "POST"], scopes: { GET: "sessions:read", POST: "runs:start" } },
  {
    path: "/api/sessions/[id]/shares",
    methods: ["GET", "POST"],
    scopes: { GET: "shares:manage", POST: "shares:manage" },
  },
  { path: "/api/sessions/[id]/starting-files", methods: ["GET"], scopes: { GET: "sessions:read" }, share: ["GET"] },
  { path: "/api/sessions/[id]/steps", methods: ["GET"], scopes: { GET: "sessions:read" }, share: ["GET"] },
  {
    path: "/api/sessions/[id]/starting-files/content",
    methods: ["GET"],
    scopes: { GET: "sessions:read" },
    share: ["GET"],
  },
  {
    path: "/api/sessions/[id]/steps/[stepId]/approval",
    methods: ["POST"],
    scopes: { POST: "approvals:decide" },
  },
  { path: "/api/sessions/[id]/steps/[stepId]/edit", methods: ["POST"], scopes: { POST: "steps:edit" } },
  { path: "/api/sessions/[id]/test-runs", methods: ["POST"], scopes: { POST: "runs:start" } },
  { path: "/api/shares", methods: ["GET"], scopes: { GET: "shares:manage" } },
  { path: "/api/shares/[shareId]", methods: ["DELETE"], scopes: { DELETE: "shares:manage" } },
  { path: "/api/shares/[shareId]/remint", methods: ["POST"], scopes: { POST: "shares:manage" } },
  { path: "/api/suite-runs", methods: ["GET", "POST"], scopes: { GET: "sessions:read", POST: "runs:start" } },
  { path: "/api/suite-runs/[id]", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/suite-runs/[id]/cancel", methods: ["POST"], scopes: { POST: "runs:start" } },
  { path: "/api/suites", methods: ["GET"], scopes: { GET: "sessions:read" } },
  { path: "/api/tokens", methods: ["GET", "POST"], scopes: { GET: "tokens:manage", POST: "tokens:manage" } },
  { path: "/api/tokens/[tokenId]", methods: ["DELETE"], scopes: { DELETE: "tokens:manage" } },
  { path: "/api/invitations/accept", methods: ["POST"], scopes: { POST: "sessions:read" } },
  {
    path: "/api/workspace",
    methods: ["GET", "PATCH"],
    scopes: { GET: "sessions:read", PATCH: "members:manage" },
  },
  {
    path: "/api/workspace/invitations",
    methods: ["GET", "POST"],
    scopes: { GET: "members:manage", POST: "members:manage" },
  },
  { path: "/api/workspace/invitations/[invitationId]", methods: ["DELETE"], scopes: { DELETE: "members:manage" } },
  {
    path: "/api/workspace/invitations/[invitationId]/resend",
    methods: ["POST"],
    scopes: { POST: "members:manage" },
  },
  { path: "/api/workspace/leave", methods: ["POST"], scopes: { POST: "sessions:read" } },
  { path: "/api/workspace/members", methods: ["GET"], scopes: { GET: "sessions:read" } },
  {
    path: "/api/workspace/members/[memberId]",
    methods: ["PATCH", "DELETE"],
    scopes: { PATCH: "members:manage", DELETE: "members:manage" },
  },
  { path: "/api/workspaces", methods: ["POST"], scopes: { POST: "sessions:read" } },
];

/** The table entry whose path matches `pathname` (segments as sent, `[param]` matching any one), or null. */
export function matchApiRoute(pathname: string): ApiRoute | null {
  const segments = pathname.replace(/\/+$/, "").split("/");
  // Literal segments win over parameters (/api/sessions/import before /api/sessions/[id]), as in Next.js.
  const byLiterals = [...API_ROUTES].sort((a, b) => literalCount(b.path) - literalCount(a.path));
  return (
    byLiterals.find((candidate) => {
      const pattern = candidate.path.split("/");
      return (
        pattern.length === segments.length &&
        pattern.every((part, index) => part.startsWith("[") || part === segments[index])
      );
    }) ?? null
  );
}

const literalCount = (path: string) => path.split("/").filter((part) => !part.startsWith("[")).length;

/** The methods a route answers, as the `Allow` header lists them: HEAD with GET, OPTIONS always. */
export function allowedMethods(methods: readonly HttpMethod[]): HttpMethod[] {
  const allowed = new Set<HttpMethod>([...methods, "OPTIONS"]);
  if (allowed.has("GET")) allowed.add("HEAD");
  return HTTP_METHODS.filter((method) => allowed.has(method));
}

/**
 * `host[:port]` → the host name alone, lower case, without a trailing dot; IPv6 literals
 * keep their brackets (`[::1]:3000` → `[::1]`). Null for an empty or malformed value,
 * including a port that is not a number from 1 to 65535: the Host ends up in mailed links
 * (lib/mail/links.ts) and better-auth's base URL, where `localhost:1@evil.example` would
 * be a link to evil.example and `localhost:99999` an invalid URL.
 */
export function hostnameOf(value: string): string | null {
  const host = value.trim().toLowerCase();
  if (host === "") return null;
  const bracketEnd = host.startsWith("[") ? host.indexOf("]") : -1;
  if (host.startsWith("[") && bracketEnd <= 1) return null;
  const nameEnd = bracketEnd > 0 ? bracketEnd + 1 : host.includes(":") ? host.indexOf(":") : host.length;
  const port = host.slice(nameEnd);
  if (port !== "" && !validPort(port)) return null;
  if (bracketEnd > 0) return host.slice(0, nameEnd);
  const name = host.slice(0, nameEnd).replace(/\.$/, "");
  return /^[a-z0-9.-]+$/.test(name) ? name : null;
}

/** `:<1–65535>`, digits only. */
function validPort(port: string): boolean {
  return /^:\d{1,5}$/.test(port) && Number(port.slice(1)) >= 1 && Number(port.slice(1)) <= 65_535;
}

/** Host names the app answers to when ALLOWED_HOSTS is not set (besides a specific HOST it listens on). */
export const LOCAL_HOSTNAMES = ["localhost", "127.0.0.1", "[::1]"] as const;

/** Addresses that mean "every interface": listening on one says nothing about the name people use. */
const WILDCARD_ADDRESSES = new Set(["0.0.0.0", "::", "[::]"]);

/** A host name from configuration; a bare IPv6 address (`::1`) gets its brackets. */
function configuredHostname(entry: string): string | null {
  const trimmed = entry.trim();
  return hostnameOf(!trimmed.startsWith("[") && trimmed.split(":").length > 2 ? `[${trimmed}]` : trimmed);
}

/** Which Host headers the app accepts: `any` (ALLOWED_HOSTS=*), or a set of host names. */
export type AllowedHosts = { any: true } | { any: false; hostnames: ReadonlySet<string> };

/**
 * ALLOWED_HOSTS (comma-separated host names, ports ignored, `*` for any) or, unset, the
 * local names; a specific HOST the server listens on (not a wildcard) is always allowed.
 */
export function allowedHosts({
  allowed,
  listenHost,
}: {
  allowed: string | undefined;
  listenHost: string;
}): AllowedHosts {
  const entries = allowed === undefined ? [...LOCAL_HOSTNAMES] : allowed.split(",").map((entry) => entry.trim());
  if (entries.includes("*")) return { any: true };
  const hostnames = new Set<string>();
  for (const entry of entries) {
    const name = configuredHostname(entry);
    if (name) hostnames.add(name);
  }
  const listen = configuredHostname(listenHost);
  if (listen && !WILDCARD_ADDRESSES.has(listen)) hostnames.add(listen);
  return { any: false, hostnames };
}

/**
 * 403 `forbidden:host` unless the Host header names the app (with ALLOWED_HOSTS=*, unless it
 * is malformed). A page on another site that re-points its own name at 127.0.0.1 (DNS
 * rebinding) still sends its own name as Host.
 */
export function checkHost(hostHeader: string | null, allowed: AllowedHosts): AppError | null {
  const name = hostHeader === null ? null : hostnameOf(hostHeader);
  if (allowed.any ? hostHeader === null || name !== null : name !== null && allowed.hostnames.has(name)) return null;
  return new AppError(
    "forbidden:host",
    `This server does not answer to the host ${quote(hostHeader ?? "")}. To serve it under that name, add it to ALLOWED_HOSTS.`,
  );
}

/**
 * 403 `forbidden:origin` for a write (any method but GET, HEAD, OPTIONS) that a browser
 * sent from another origin: `Sec-Fetch-Site` other than `same-origin`/`none`, or an
 * `Origin` whose host differs from the Host header (`null` included). Requests without
 * either header (curl, scripts) pass: no other site can make a browser send one of those.
 * Requests with an `Authorization: Bearer` token pass too: a token is not sent by the
 * browser on its own as a cookie is, and another site can't set that header without a
 * CORS preflight, which this app never grants (the route then accepts the token or
 * answers 401; it never falls back to the cookie).
 */
export function checkOrigin(method: string, headers: Headers): AppError | null {
  if (SAFE_METHODS.has(method) || bearerToken(headers) !== null) return null;
  const refuse = (what: string) =>
    new AppError(
      "forbidden:origin",
      `Changes are only accepted from this app's own pages (${what}). Scripts can call the API without an Origin header.`,
    );
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none")
    return refuse(`the request came from a ${quote(site)} page`);
  const origin = headers.get("origin");
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return refuse(`Origin ${quote(origin)}`);
  }
  const host = headers.get("host")?.toLowerCase() ?? "";
  if (origin === "null" || originHost === "" || originHost.toLowerCase() !== host) {
    return refuse(`Origin ${quote(origin)}`);
  }
  return null;
}

/** `multipart/form-data` (a browser form with files; its boundary parameter follows). */
function isMultipart(value: string): boolean {
  return value.split(";")[0]?.trim().toLowerCase() === "multipart/form-data";
}

/**
 * 415 `unsupported_media_type:body` for a write whose body is not of a type the route
 * takes: JSON (and multipart/form-data where the route lists it), declared by
 * Content-Type. `text/plain` and urlencoded forms, which another site's page can send
 * without asking, never pass; a write without a body (DELETE, cancel) needs no type.
 * Multipart forms can come from another site too: the Origin check refuses those.
 */
export function checkBodyType(
  method: string,
  headers: Headers,
  bodies: readonly BodyType[] = ["json"],
): AppError | null {
  if (SAFE_METHODS.has(method)) return null;
  const type = headers.get("content-type");
  const hasBody = Number(headers.get("content-length") ?? 0) > 0 || headers.has("transfer-encoding");
  if (type === null ? !hasBody : isJsonContentType(type) || (bodies.includes("multipart") && isMultipart(type))) {
    return null;
  }
  return new AppError(
    "unsupported_media_type:body",
    bodies.includes("multipart")
      ? "Send the body as JSON (Content-Type: application/json) or as a multipart/form-data upload."
      : "Send the body as JSON, with Content-Type: application/json.",
  );
}

/**
 * The largest request body, in bytes. Next.js copies every body through the proxy and
 * silently cuts the route's copy at `experimental.proxyClientMaxBodySize` (next.config.mjs
 * sets it to this), so anything larger is refused here rather than handed on truncated.
 * It covers the largest upload at the default project limit (2 × 20 MiB + 1 MiB).
 */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** 413 `payload_too_large:body` for a declared Content-Length over MAX_REQUEST_BYTES. */
export function checkBodySize(headers: Headers): AppError | null {
  const declared = Number(headers.get("content-length") ?? 0);
  if (!(declared > MAX_REQUEST_BYTES)) return null;
  return new AppError(
    "payload_too_large:body",
    `The request body is larger than ${MAX_REQUEST_BYTES / (1024 * 1024)} MB, the most this server accepts.`,
  );
}

/** What a response is, for its Content-Security-Policy. */
export type ResponseKind = "document" | "api" | "asset";

/** `/api/*` → api, `/_next/*` → asset (scripts, styles, fonts, workers), anything else → document. */
export function responseKind(pathname: string): ResponseKind {
  if (pathname === "/api" || pathname.startsWith("/api/")) return "api";
  if (pathname.startsWith("/_next/")) return "asset";
  return "document";
}

/**
 * The Content-Security-Policy for a response. Documents: scripts only with this
 * response's nonce (Next.js puts it on its own scripts) and what they load
 * (`strict-dynamic`); Monaco's workers, fonts, styles, images and connections from our
 * own origin only (images also data:/blob:, never another host); never framed. Monaco and
 * React set inline styles, so styles allow 'unsafe-inline'. Development adds
 * 'unsafe-eval' for React's dev tooling. Assets get a same-origin policy (a worker runs
 * under its script's policy); API responses may load nothing.
 */
export function contentSecurityPolicy({
  kind,
  nonce,
  dev,
}: {
  kind: ResponseKind;
  nonce?: string;
  dev: boolean;
}): string {
  const always = ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"];
  if (kind === "api") return ["default-src 'none'", ...always, "form-action 'none'"].join("; ");
  if (kind === "asset") return ["default-src 'self'", "img-src 'self' data: blob:", ...always].join("; ");
  return [
    "default-src 'self'",
    `script-src 'self'${nonce ? ` 'nonce-${nonce}' 'strict-dynamic'` : ""}${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "media-src 'none'",
    "frame-src 'none'",
    "form-action 'self'",
    ...always,
  ].join("; ");
}

/**
 * Headers for pages whose address holds a secret — a share link's page, /share/<token>:
 * never indexed (`X-Robots-Tag`, with the page's robots meta), and never sent on as a
 * Referer, not even to this site (`no-referrer`), so the token stays in the address bar.
 */
export function privatePageHeaders(pathname: string): Readonly<Record<string, string>> {
  if (pathname !== "/share" && !pathname.startsWith("/share/")) return {};
  return { "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer" };
}

/** Headers on every response besides the CSP: no framing, no type sniffing, no referrer to other sites, no powerful features. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  // Not no-referrer: under it, browsers send `Origin: null` on the app's own writes.
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy":
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), display-capture=(), browsing-topics=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};
