import { describe, expect, test } from "vitest";
import {
  escapeUndecodableSegments,
  findUnstorableText,
  isDecodablePath,
  isPlausibleId,
  jsonNestsDeeperThan,
  MAX_ID_LENGTH,
  quote,
  unstorableTextReason,
} from "./input";

describe("text PostgreSQL can store", () => {
  test.each([
    ["plain text", "hello", null],
    ["emoji (a surrogate pair)", "ok 😀", null],
    ["a NUL", "before\u0000after", /NUL/],
    ["a lone high surrogate", "a\ud800b", /lone surrogate/],
    ["a lone low surrogate", "\udc00", /lone surrogate/],
    ["a reversed pair", "\ude00\ud83d", /lone surrogate/],
  ])("%s", (_name, text, reason) => {
    const found = unstorableTextReason(text);
    if (reason === null) expect(found).toBeNull();
    else expect(found).toMatch(reason);
  });

  test("finds bad text anywhere in a body, keys included, and names where", () => {
    expect(findUnstorableText({ task: "ok", nested: [{ x: 1 }, "fine"] })).toBeNull();
    expect(findUnstorableText({ task: "a\u0000" })).toEqual({ path: "task", reason: expect.stringMatching(/NUL/) });
    expect(findUnstorableText({ a: [1, { b: "\ud800" }] })?.path).toBe("a.1.b");
    expect(findUnstorableText({ "k\u0000": 1 })).toEqual({
      path: '"k\\u0000"',
      reason: expect.stringMatching(/field name .*NUL/),
    });
    expect(findUnstorableText("\u0000")?.path).toBe("");
  });

  test("a huge field name is quoted short in the path", () => {
    const found = findUnstorableText({ ["k".repeat(1_000_000)]: "\u0000" });
    expect(found?.path.length).toBeLessThan(60);
  });
});

describe("ids", () => {
  test("cuids and uuids are plausible; anything that can't be an id is not", () => {
    expect(isPlausibleId("cm3x1l9v80000abcd1234efgh")).toBe(true);
    expect(isPlausibleId("0190b5d2-7f6e-7c7a-9a8b-1234567890ab")).toBe(true);
    for (const bad of ["", "a\u0000b", "\ud800", "%ZZ", "../x", "a b", "x".repeat(MAX_ID_LENGTH + 1)]) {
      expect(isPlausibleId(bad)).toBe(false);
    }
  });
});

describe("quote", () => {
  test("short input is quoted whole, escaped", () => {
    expect(quote("gpt-nope")).toBe('"gpt-nope"');
    expect(quote("a\u0000b\ud800")).toBe('"a\\u0000b\\ud800"');
    expect(quote("line\u2028sep")).toBe('"line\\u2028sep"');
  });
  test("a megabyte is cut to a short prefix", () => {
    const quoted = quote("m".repeat(1_000_000));
    expect(quoted.length).toBeLessThan(50);
    expect(quoted).toMatch(/^"m+…"$/);
  });
});

describe("percent-encoding in paths", () => {
  test("decodable paths", () => {
    expect(isDecodablePath("/api/sessions/abc")).toBe(true);
    expect(isDecodablePath("/s/%41")).toBe(true);
    expect(isDecodablePath("/api/sessions/%ZZ")).toBe(false);
    expect(isDecodablePath("/s/%ED%A0%80")).toBe(false); // UTF-8 of a lone surrogate
    expect(isDecodablePath("/s/%")).toBe(false);
  });
  test("only the broken segments are escaped again", () => {
    expect(escapeUndecodableSegments("/s/%ZZ")).toBe("/s/%25ZZ");
    expect(escapeUndecodableSegments("/s/%41/%E0")).toBe("/s/%41/%25E0");
    expect(decodeURIComponent(escapeUndecodableSegments("/s/%ZZ"))).toBe("/s/%ZZ");
  });
});

describe("jsonNestsDeeperThan", () => {
  test("counts arrays and objects, not brackets inside strings", () => {
    expect(jsonNestsDeeperThan('{"a":[1,{"b":[]}]}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[1,{"b":[[]]}]}', 4)).toBe(true);
    expect(jsonNestsDeeperThan(JSON.stringify({ a: "[[[[[[{{{{", b: 'say \\"[[[[' }), 1)).toBe(false);
    expect(jsonNestsDeeperThan(`${"[".repeat(201)}${"]".repeat(201)}`)).toBe(true);
    expect(jsonNestsDeeperThan(`${"[".repeat(200)}${"]".repeat(200)}`)).toBe(false);
    expect(jsonNestsDeeperThan("not json ]]]] [")).toBe(false);
  });
});
