import { describe, expect, test } from "vitest";
import { authorLabel, authorOf } from "./authors";

describe("authorOf", () => {
  test("a signed-in person records their user, no token", () => {
    expect(authorOf({ userId: "u1", via: "cookie" })).toEqual({ userId: "u1", apiTokenId: null });
  });

  test("a bot records the token's owner and the token", () => {
    expect(authorOf({ userId: "u1", via: "token", credentialId: "t1" })).toEqual({ userId: "u1", apiTokenId: "t1" });
  });

  test("a share link's credential is not an author's token; the local instance has nobody", () => {
    expect(authorOf({ userId: null, via: "share", credentialId: "s1" })).toEqual({ userId: null, apiTokenId: null });
    expect(authorOf({ userId: null, via: "local" })).toEqual({ userId: null, apiTokenId: null });
  });
});

describe("authorLabel", () => {
  test("a person by their name, trimmed", () => {
    expect(authorLabel({ user: { name: "  Ada Lovelace ", isAnonymous: false } })).toBe("Ada Lovelace");
  });

  test("a guest by its name, or Guest when it has none", () => {
    expect(authorLabel({ user: { name: "Guest", isAnonymous: true } })).toBe("Guest");
    expect(authorLabel({ user: { name: " ", isAnonymous: true } })).toBe("Guest");
  });

  test("a bot by its token's name, whoever owns the token", () => {
    expect(authorLabel({ user: { name: "Ada", isAnonymous: false }, apiToken: { name: "nightly-ci" } })).toBe(
      "nightly-ci (bot)",
    );
    expect(authorLabel({ apiToken: { name: "" } })).toBe("API token (bot)");
  });

  test("nobody to name: no rows, or a person without a name", () => {
    expect(authorLabel({})).toBeNull();
    expect(authorLabel({ user: null, apiToken: null })).toBeNull();
    expect(authorLabel({ user: { name: "", isAnonymous: false } })).toBeNull();
  });
});
