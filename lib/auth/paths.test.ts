import { describe, expect, test } from "vitest";
import { accountFirstPath, hasSessionCookie, needsAccountFirst, safeNext } from "./paths";

describe("safeNext", () => {
  test.each([
    ["/s/abc?x=1", "/s/abc?x=1"],
    ["/", "/"],
    [null, "/"],
    ["", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/a\nb", "/"],
    [`/${"x".repeat(3000)}`, "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});

describe("needsAccountFirst", () => {
  test.each([
    ["/", true],
    ["/s/abc", true],
    ["/settings", true],
    ["/sign-in", false],
    ["/sign-up", false],
    ["/forgot-password", false],
    ["/reset-password", false],
    ["/verify-email", false],
    ["/invite/tok", false],
    ["/share/tok", false],
    ["/icon.svg", false],
    ["/sign-inside", true],
  ])("%s → %s", (path, expected) => {
    expect(needsAccountFirst(path)).toBe(expected);
  });
});

test("the sign-in cookie is found by name, not by substring", () => {
  expect(hasSessionCookie("a=1; interleave.session_token=x.y")).toBe(true);
  expect(hasSessionCookie("__Secure-interleave.session_token=x.y")).toBe(true);
  expect(hasSessionCookie("not-interleave.session_token=x")).toBe(false);
  expect(hasSessionCookie(null)).toBe(false);
});

test("guests on: a guest account first; off: the sign-in page, coming back afterwards", () => {
  expect(accountFirstPath("/s/a?b=1", true)).toBe("/api/auth/guest?next=%2Fs%2Fa%3Fb%3D1");
  expect(accountFirstPath("//evil", false)).toBe("/sign-in?next=%2F");
});
