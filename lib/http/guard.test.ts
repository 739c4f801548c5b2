import path from "node:path";
import type { NextConfig } from "next";
import { NextRequest } from "next/server";
import { describe, expect, test } from "vitest";
import { type GuardOptions, guard } from "./guard";
import { allowedHosts, MAX_REQUEST_BYTES } from "./request-rules";

const options: GuardOptions = {
  allowedHosts: allowedHosts({ allowed: undefined, listenHost: "127.0.0.1" }),
  dev: false,
  guests: true,
};

function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new NextRequest(`http://localhost:3000${path}`, {
    method: init.method ?? "GET",
    // signed in (any value: the proxy only looks for the cookie, routes check it)
    headers: { host: "localhost:3000", cookie: "interleave.session_token=t.s", ...init.headers },
    body: init.body,
  });
}

const passedOn = (response: Response) => response.headers.get("x-middleware-next") === "1";

async function jsonError(response: Response) {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("the request guard", () => {
  test("passes a page on, with a fresh nonce in the request's CSP and the security headers", () => {
    const first = guard(request("/"), options);
    const second = guard(request("/"), options);
    expect(passedOn(first)).toBe(true);
    const policy = first.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    // Next.js reads the nonce from the request's CSP header (x-middleware-request-*)
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(first.headers.get("permissions-policy")).toContain("camera=()");
  });

  test("a page asked for without a sign-in cookie: a guest account first, or the sign-in page; then back", () => {
    const anonymous = (path: string) => request(path, { headers: { cookie: "other=1" } });
    const guest = guard(anonymous("/s/abc?x=1"), options);
    expect(guest.status).toBe(307);
    expect(guest.headers.get("location")).toBe("http://localhost:3000/api/auth/guest?next=%2Fs%2Fabc%3Fx%3D1");
    expect(guest.headers.get("x-frame-options")).toBe("DENY");
    const closed = guard(anonymous("/settings"), { ...options, guests: false });
    expect(closed.headers.get("location")).toBe("http://localhost:3000/sign-in?next=%2Fsettings");
    for (const open of ["/sign-in", "/invite/tok", "/share/tok", "/icon.svg", "/api/sessions"]) {
      expect(passedOn(guard(anonymous(open), options)), open).toBe(true);
    }
  });

  test("a share link's page is never indexed and never sent on as a Referer; other pages keep their policy", () => {
    const shared = guard(request(`/share/ils_${"a".repeat(43)}`), options);
    expect(passedOn(shared)).toBe(true);
    expect(shared.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(shared.headers.get("referrer-policy")).toBe("no-referrer");
    const other = guard(request("/shared-notes"), options);
    expect(other.headers.get("x-robots-tag")).toBeNull();
    expect(other.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  test("API responses and assets get the headers too", () => {
    for (const path of ["/api/sessions", "/_next/static/chunks/x.js", "/api/nope"]) {
      const response = guard(request(path), options);
      expect(passedOn(response)).toBe(true);
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  test("a Host the app doesn't serve is refused: JSON for the API, a page otherwise", async () => {
    const api = guard(request("/api/sessions", { headers: { host: "rebound.example:3000" } }), options);
    expect(api.status).toBe(403);
    expect((await jsonError(api)).code).toBe("forbidden:host");
    const page = guard(request("/", { headers: { host: "rebound.example:3000" } }), options);
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("ALLOWED_HOSTS");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
  });

  test("a broken %-escape: JSON 400 under /api; a page is passed on with the segment as text", async () => {
    const api = guard(request("/api/sessions/%ZZ"), options);
    expect(api.status).toBe(400);
    expect((await jsonError(api)).code).toBe("bad_request:url");
    const page = guard(request("/s/%ZZ"), options);
    expect(page.headers.get("x-middleware-rewrite")).toBe("http://localhost:3000/s/%25ZZ");
  });

  test("a known API path answers OPTIONS and 405 itself, with Allow", async () => {
    const options204 = guard(request("/api/sessions", { method: "OPTIONS" }), options);
    expect(options204.status).toBe(204);
    expect(options204.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
    const put = guard(request("/api/sessions", { method: "PUT" }), options);
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
    const error = await jsonError(put);
    expect(error.code).toBe("method_not_allowed:route");
    expect(error.message).toMatch(/PUT is not supported/);
    const head = guard(request("/api/sessions/abc", { method: "HEAD" }), options);
    expect(passedOn(head)).toBe(true);
    expect(guard(request("/api/sessions/abc/edit", { method: "PUT" }), options).status).not.toBe(405);
  });

  test("a cross-site write is refused before any handler runs", async () => {
    const response = guard(
      request("/api/sessions", {
        method: "POST",
        headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "text/plain" },
        body: '{"task":"spend the key"}',
      }),
      options,
    );
    expect(response.status).toBe(403);
    expect((await jsonError(response)).code).toBe("forbidden:origin");
  });

  test("a write that is not JSON is a 415; a script's JSON write passes", async () => {
    const form = guard(
      request("/api/sessions", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "task=x",
      }),
      options,
    );
    expect(form.status).toBe(415);
    expect((await jsonError(form)).code).toBe("unsupported_media_type:body");
    const script = guard(
      request("/api/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
      options,
    );
    expect(passedOn(script)).toBe(true);
  });

  test("a body larger than Next.js passes on whole is a 413, not a truncated upload", async () => {
    const huge = guard(
      request("/api/sessions", {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(MAX_REQUEST_BYTES + 1) },
      }),
      options,
    );
    expect(huge.status).toBe(413);
    expect((await jsonError(huge)).code).toBe("payload_too_large:body");
    // next.config.mjs is plain JS: loaded by path, as Next.js loads it.
    const configPath = path.join(process.cwd(), "next.config.mjs");
    const { default: nextConfig } = (await import(/* @vite-ignore */ configPath)) as { default: NextConfig };
    expect(nextConfig.experimental?.proxyClientMaxBodySize).toBe(MAX_REQUEST_BYTES);
  });
});
