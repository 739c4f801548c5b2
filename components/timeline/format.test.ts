import { expect, test } from "vitest";
import { stepAuthorLabel } from "./format";

test("a step says who made it", () => {
  expect(stepAuthorLabel({ authorName: "Ada", providerData: null })).toBe("by Ada");
  expect(stepAuthorLabel({ authorName: null, providerData: null })).toBeNull();
});

test("a comment sent to the model names the comment's author, and who sent it when that is someone else", () => {
  const comment = { id: "c1", by: "Bob" };
  expect(stepAuthorLabel({ authorName: "Alice", providerData: { comment } })).toBe("Bob's comment, sent by Alice");
  expect(stepAuthorLabel({ authorName: "Bob", providerData: { comment } })).toBe("Bob's comment");
  expect(stepAuthorLabel({ authorName: null, providerData: { comment } })).toBe("Bob's comment");
});
