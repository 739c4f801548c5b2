import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  bearerToken,
  hashToken,
  isExpired,
  lesserRole,
  mintToken,
  shouldRecordUse,
  tokenHint,
  tokenKind,
} from "./tokens";

describe("mintToken", () => {
  test("256 random bits behind a prefix that says what it is; only the hash goes to the database", () => {
    const api = mintToken("api");
    const share = mintToken("share");
    expect(api.token).toMatch(/^ilv_[A-Za-z0-9_-]{43}$/);
    expect(share.token).toMatch(/^ils_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(api.token.slice(4), "base64url")).toHaveLength(32);
    expect(api.hash).toBe(createHash("sha256").update(api.token).digest("hex"));
    expect(api.hash).not.toContain(api.token.slice(4));
    expect(new Set(Array.from({ length: 200 }, () => mintToken("api").token)).size).toBe(200);
  });

  test("hashToken is stable hex SHA-256", () => {
    expect(hashToken("ilv_x")).toBe(hashToken("ilv_x"));
    expect(hashToken("ilv_x")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("tokenKind", () => {
  test("tells API tokens from share tokens by their form", () => {
    expect(tokenKind(mintToken("api").token)).toBe("api");
    expect(tokenKind(mintToken("share").token)).toBe("share");
  });

  test.each([
    "",
    "ilv_",
    "ilv_short",
    `ilv_${"a".repeat(44)}`,
    `ilx_${"a".repeat(43)}`,
    `ilv_${"a".repeat(42)}=`,
    `ILV_${"a".repeat(43)}`,
  ])("%j is neither", (value) => {
    expect(tokenKind(value)).toBeNull();
  });
});

describe("bearerToken", () => {
  const headers = (value?: string) => new Headers(value === undefined ? {} : { authorization: value });
  test("reads the Bearer scheme, case-insensitively", () => {
    expect(bearerToken(headers("Bearer ilv_abc"))).toBe("ilv_abc");
    expect(bearerToken(headers("bearer   ilv_abc "))).toBe("ilv_abc");
  });
  test("anything else is no token", () => {
    expect(bearerToken(headers())).toBeNull();
    expect(bearerToken(headers("Basic dXNlcjpwYXNz"))).toBeNull();
    expect(bearerToken(headers("Bearer"))).toBeNull();
    expect(bearerToken(headers("Bearer a b"))).toBeNull();
  });
});

test("tokenHint shows the prefix and four characters", () => {
  expect(tokenHint("ilv_AbCdEfGh")).toBe("ilv_AbCd");
});

test("shouldRecordUse: at most once a minute", () => {
  const now = new Date("2026-11-30T21:00:00Z");
  expect(shouldRecordUse(null, now)).toBe(true);
  expect(shouldRecordUse(new Date(now.getTime() - 59_999), now)).toBe(false);
  expect(shouldRecordUse(new Date(now.getTime() - 60_000), now)).toBe(true);
});

test("lesserRole never gives more than either side", () => {
  expect(lesserRole("owner", "viewer")).toBe("viewer");
  expect(lesserRole("member", "admin")).toBe("member");
  expect(lesserRole("admin", "admin")).toBe("admin");
});

test("isExpired: null never expires; the expiry instant itself is expired", () => {
  const now = new Date("2026-11-30T21:00:00Z");
  expect(isExpired(null, now)).toBe(false);
  expect(isExpired(new Date(now.getTime() + 1), now)).toBe(false);
  expect(isExpired(now, now)).toBe(true);
});
