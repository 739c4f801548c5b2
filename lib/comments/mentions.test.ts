import { describe, expect, test } from "vitest";
import { findMentions, mentionAt, mentionCandidates } from "./mentions";

const members = [
  { userId: "ada", name: "Ada" },
  { userId: "ada-l", name: "Ada Lovelace" },
  { userId: "g1", name: "Guest" },
  { userId: "g2", name: "Guest" },
  { userId: "grace", name: "Grace" },
];

describe("findMentions", () => {
  test("names, the longest that fits, case-insensitively", () => {
    expect(findMentions("@ada lovelace and @Grace, look", members).sort()).toEqual(["ada-l", "grace"]);
    expect(findMentions("thanks @Ada!", members)).toEqual(["ada"]);
  });

  test("a name several members share mentions them all; each member once", () => {
    expect(findMentions("@Guest @guest", members).sort()).toEqual(["g1", "g2"]);
  });

  test("not a mention: a longer word, an email address, an unknown name", () => {
    expect(findMentions("@Adam ada@example.com @nobody", members)).toEqual([]);
  });
});

describe("autocomplete", () => {
  test("the @word at the caret", () => {
    expect(mentionAt("hi @Gr", 6)).toEqual({ start: 3, query: "Gr" });
    expect(mentionAt("@", 1)).toEqual({ start: 0, query: "" });
    expect(mentionAt("mail a@b", 8)).toBeNull();
    expect(mentionAt("no mention", 5)).toBeNull();
  });

  test("members whose name starts with the query", () => {
    expect(mentionCandidates(members, "gr").map((m) => m.userId)).toEqual(["grace"]);
    expect(mentionCandidates(members, "", 2)).toHaveLength(2);
  });
});
