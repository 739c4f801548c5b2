import { describe, expect, test } from "vitest";
import { initialsOf, toneOf } from "./viewer-faces";

describe("viewer faces", () => {
  test("initials: first and last word, one letter for one word, ? for none", () => {
    expect(initialsOf("Ana Lima")).toBe("AL");
    expect(initialsOf("ben")).toBe("B");
    expect(initialsOf("  María José  de la Cruz ")).toBe("MC");
    expect(initialsOf("Émile")).toBe("É");
    expect(initialsOf("   ")).toBe("?");
  });

  test("a colour per person, the same every time; grey for a link's visitor", () => {
    const ana = { kind: "person" as const, userId: "user-ana" };
    expect(toneOf(ana)).toBe(toneOf({ ...ana }));
    expect(toneOf({ kind: "link", userId: null })).toContain("zinc");
  });
});
