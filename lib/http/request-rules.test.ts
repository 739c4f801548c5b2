import { describe, expect, test } from "vitest";
import {
  allowedHosts,
  allowedMethods,
  checkBodyType,
  checkHost,
  checkOrigin,
  contentSecurityPolicy,
  hostnameOf,
  isJsonContentType,
  matchApiRoute,
  responseKind,
} from "./request-rules";

const local = allowedHosts({ allowed: undefined, listenHost: "127.0.0.1" });

describe("Host", () => {
  test("host names are compared without port, case or trailing dot", () => {
    expect(hostnameOf("LocalHost:3000")).toBe("localhost");
    expect(hostnameOf("[::1]:3000")).toBe("[::1]");
    expect(hostnameOf("example.com.")).toBe("example.com");
    expect(hostnameOf("")).toBeNull();
    expect(hostnameOf("a b")).toBeNull();
    expect(hostnameOf("[")).toBeNull();
  });

  test("a Host with anything but a port after the name is malformed (it would point mailed links elsewhere)", () => {
    expect(hostnameOf("localhost:65535")).toBe("localhost");
    expect(hostnameOf("[::1]")).toBe("[::1]");
    for (const host of [
      "localhost:1@evil.example",
      "localhost:3000/evil",
      "localhost:",
      "localhost:0",
      "localhost:99999",
      "localhost:3000:3000",
      "[::1]evil",
      "[::1]:1@evil.example",
    ]) {
      expect(hostnameOf(host), host).toBeNull();
      expect(checkHost(host, local)?.code, host).toBe("forbidden:host");
      expect(checkHost(host, allowedHosts({ allowed: "*", listenHost: "0.0.0.0" }))?.code, host).toBe("forbidden:host");
    }
  });

  test("by default only the local names are served", () => {
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "localhost"]) {
      expect(checkHost(host, local)).toBeNull();
    }
    for (const host of ["attacker.example:3000", "192.168.1.5:3000", "", null]) {
      const error = checkHost(host, local);
      expect(error?.status).toBe(403);
      expect(error?.code).toBe("forbidden:host");
    }
  });

  test("ALLOWED_HOSTS replaces the default; * allows any; a specific HOST is always allowed", () => {
    const configured = allowedHosts({ allowed: "app.example.com, ::1 ,10.0.0.2:8080", listenHost: "0.0.0.0" });
    expect(checkHost("app.example.com", configured)).toBeNull();
    expect(checkHost("[::1]:3000", configured)).toBeNull();
    expect(checkHost("10.0.0.2:3000", configured)).toBeNull();
    expect(checkHost("localhost:3000", configured)).not.toBeNull();
    expect(checkHost("0.0.0.0:3000", configured)).not.toBeNull();
    expect(checkHost("anything", allowedHosts({ allowed: "*", listenHost: "0.0.0.0" }))).toBeNull();
    const lan = allowedHosts({ allowed: undefined, listenHost: "192.168.1.5" });
    expect(checkHost("192.168.1.5:3000", lan)).toBeNull();
    expect(checkHost("localhost:3000", lan)).toBeNull();
  });

  test("a long bad Host is quoted short", () => {
    expect(checkHost(`${"h".repeat(100_000)}.example`, local)?.message.length).toBeLessThan(200);
  });
});

const headers = (init: Record<string, string>) => new Headers(init);

describe("Origin on writes", () => {
  test("reads are never checked", () => {
    expect(checkOrigin("GET", headers({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }))).toBeNull();
  });

  test("a request with a Bearer token is not held to the page's origin; the route checks the token", () => {
    const crossSite = { host: "localhost:3000", origin: "https://ci.example", "sec-fetch-site": "cross-site" };
    expect(checkOrigin("POST", headers({ ...crossSite, authorization: "Bearer ilv_x" }))).toBeNull();
    expect(checkOrigin("POST", headers({ ...crossSite, authorization: "Basic eDp5" }))?.code).toBe("forbidden:origin");
    expect(checkOrigin("POST", headers(crossSite))?.code).toBe("forbidden:origin");
  });

  test("same origin and scripts without browser headers may write", () => {
    expect(checkOrigin("POST", headers({ host: "localhost:3000" }))).toBeNull();
    expect(
      checkOrigin(
        "POST",
        headers({ host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }),
      ),
    ).toBeNull();
    expect(checkOrigin("PATCH", headers({ host: "app.example.com", origin: "https://app.example.com" }))).toBeNull();
  });

  test.each([
    ["another site", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }],
    ["another port on the same host (same-site)", { origin: "http://localhost:8080", "sec-fetch-site": "same-site" }],
    ["an opaque origin", { origin: "null" }],
    ["an Origin that is not a URL", { origin: "%%%" }],
    ["Sec-Fetch-Site cross-site without Origin", { "sec-fetch-site": "cross-site" }],
    ["another host on the same port", { origin: "http://127.0.0.1:3000" }],
  ])("refuses a write from %s", (_name, extra) => {
    const error = checkOrigin("POST", headers({ host: "localhost:3000", ...extra }));
    expect(error?.status).toBe(403);
    expect(error?.code).toBe("forbidden:origin");
  });
});

describe("body type on writes", () => {
  test("JSON, with or without parameters", () => {
    expect(isJsonContentType("application/json")).toBe(true);
    expect(isJsonContentType("Application/JSON; charset=utf-8")).toBe(true);
    expect(isJsonContentType("text/plain")).toBe(false);
    expect(isJsonContentType("application/jsonx")).toBe(false);
  });

  test("a body must be declared JSON; a write without a body needs no type", () => {
    expect(checkBodyType("POST", headers({ "content-type": "application/json", "content-length": "2" }))).toBeNull();
    expect(checkBodyType("DELETE", headers({}))).toBeNull();
    expect(checkBodyType("POST", headers({ "content-length": "0" }))).toBeNull();
    expect(checkBodyType("GET", headers({ "content-type": "text/plain" }))).toBeNull();
    for (const refused of <Record<string, string>[]>[
      { "content-type": "text/plain", "content-length": "10" },
      { "content-type": "text/plain" },
      { "content-type": "application/x-www-form-urlencoded", "content-length": "5" },
      { "content-type": "multipart/form-data; boundary=x", "content-length": "5" },
      { "content-length": "5" },
      { "transfer-encoding": "chunked" },
    ]) {
      expect(checkBodyType("POST", headers(refused))?.status).toBe(415);
    }
  });
});

describe("multipart uploads", () => {
  const multipart = { "content-type": "multipart/form-data; boundary=x", "content-length": "5" };
  test("only where the route takes them", () => {
    expect(checkBodyType("POST", headers(multipart), ["json", "multipart"])).toBeNull();
    expect(checkBodyType("POST", headers(multipart), ["json"])?.status).toBe(415);
    expect(checkBodyType("POST", headers(multipart))?.status).toBe(415);
    const textPlain = headers({ "content-type": "text/plain", "content-length": "5" });
    expect(checkBodyType("POST", textPlain, ["json", "multipart"])?.message).toMatch(/multipart/);
  });
  test("the table says which routes take them", () => {
    expect(matchApiRoute("/api/sessions")?.bodies).toEqual(["json", "multipart"]);
    expect(matchApiRoute("/api/sessions/abc/files")?.bodies).toBeUndefined();
  });
});

describe("API route table", () => {
  test("matches paths by segment, parameters matching any one segment", () => {
    expect(matchApiRoute("/api/sessions")?.path).toBe("/api/sessions");
    expect(matchApiRoute("/api/sessions/abc")?.path).toBe("/api/sessions/[id]");
    expect(matchApiRoute("/api/sessions/import")?.path).toBe("/api/sessions/import");
    expect(matchApiRoute("/api/sessions/abc/steps/def/edit")?.path).toBe("/api/sessions/[id]/steps/[stepId]/edit");
    expect(matchApiRoute("/api/sessions/abc/nope")).toBeNull();
    expect(matchApiRoute("/api/nope")).toBeNull();
  });

  test("Allow lists HEAD with GET and always OPTIONS", () => {
    expect(allowedMethods(["GET", "POST"])).toEqual(["GET", "HEAD", "OPTIONS", "POST"]);
    expect(allowedMethods(["POST"])).toEqual(["OPTIONS", "POST"]);
  });
});

describe("Content-Security-Policy", () => {
  test("pages: scripts by nonce only, nothing from other hosts, never framed", () => {
    const policy = contentSecurityPolicy({ kind: "document", nonce: "abc", dev: false });
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(policy).toContain("img-src 'self' data: blob:");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("worker-src 'self' blob:");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toMatch(/https?:|\*/);
    expect(contentSecurityPolicy({ kind: "document", nonce: "abc", dev: true })).toContain("'unsafe-eval'");
  });

  test("API responses load nothing; assets only from our origin", () => {
    expect(contentSecurityPolicy({ kind: "api", dev: false })).toMatch(/^default-src 'none'/);
    expect(contentSecurityPolicy({ kind: "asset", dev: false })).toMatch(/^default-src 'self'/);
    expect(responseKind("/api/sessions")).toBe("api");
    expect(responseKind("/_next/static/chunks/a.js")).toBe("asset");
    expect(responseKind("/s/abc")).toBe("document");
    expect(responseKind("/apix")).toBe("document");
  });
});
