import { describe, expect, test } from "vitest";
import { makeStep } from "@/lib/steps/fixtures";
import { checkAnchor, fileMarkers, fileWrittenBy, locateQuote } from "./anchor";

const thinking = makeStep({ id: "t", kind: "thinking", content: "First the tests, then the code." });
const write = makeStep({
  id: "w",
  kind: "tool_call",
  providerData: { toolName: "write_file", toolInput: JSON.stringify({ path: "./src/a.ts", content: "x\ny\n" }) },
});
const saved = makeStep({
  id: "s",
  kind: "user_note",
  origin: "human",
  providerData: { toolName: "write_file", toolInput: JSON.stringify({ path: "b.py", content: "" }) },
});

describe("fileWrittenBy", () => {
  test("a model's file call and a person's save name their file, normalised", () => {
    expect(fileWrittenBy(write)).toBe("src/a.ts");
    expect(fileWrittenBy(saved)).toBe("b.py");
  });

  test("any other step, or an unreadable input, wrote nothing", () => {
    expect(fileWrittenBy(thinking)).toBeNull();
    expect(
      fileWrittenBy(makeStep({ id: "r", kind: "tool_call", providerData: { toolName: "read_file", toolInput: "{}" } })),
    ).toBeNull();
    expect(
      fileWrittenBy(makeStep({ id: "x", kind: "tool_call", providerData: { toolName: "write_file", toolInput: "{" } })),
    ).toBeNull();
  });
});

describe("checkAnchor", () => {
  test("a text range inside the step keeps the text it covers", () => {
    expect(checkAnchor(thinking, { kind: "text", start: 10, end: 15 })).toEqual({
      ok: true,
      anchor: { kind: "text", start: 10, end: 15, quote: "tests" },
    });
  });

  test("a text range outside the step, empty or reversed is refused", () => {
    for (const [start, end] of [
      [0, 0],
      [5, 3],
      [-1, 2],
      [0, 999],
      [0.5, 2],
    ] as const) {
      expect(checkAnchor(thinking, { kind: "text", start, end }).ok).toBe(false);
    }
  });

  test("a range may not start or end between an emoji's two halves; a lone surrogate is a character of its own", () => {
    const odd = makeStep({ id: "o", kind: "thinking", content: "a😀b\ud800c" });
    expect(checkAnchor(odd, { kind: "text", start: 2, end: 4 }).ok).toBe(false);
    expect(checkAnchor(odd, { kind: "text", start: 0, end: 2 }).ok).toBe(false);
    expect(checkAnchor(odd, { kind: "text", start: 1, end: 3 })).toMatchObject({ ok: true, anchor: { quote: "😀" } });
    expect(checkAnchor(odd, { kind: "text", start: 4, end: 5 })).toMatchObject({
      ok: true,
      anchor: { quote: "\ud800" },
    });
  });

  test("lines of the file the step wrote; another file, another kind of step or bad lines are refused", () => {
    expect(checkAnchor(write, { kind: "file", path: "src/a.ts", startLine: 1, endLine: 2 })).toEqual({
      ok: true,
      anchor: { kind: "file", path: "src/a.ts", startLine: 1, endLine: 2 },
    });
    expect(checkAnchor(write, { kind: "file", path: "src/b.ts", startLine: 1, endLine: 1 }).ok).toBe(false);
    expect(checkAnchor(thinking, { kind: "file", path: "src/a.ts", startLine: 1, endLine: 1 }).ok).toBe(false);
    expect(checkAnchor(write, { kind: "file", path: "src/a.ts", startLine: 0, endLine: 1 }).ok).toBe(false);
    expect(checkAnchor(write, { kind: "file", path: "src/a.ts", startLine: 3, endLine: 2 }).ok).toBe(false);
  });
});

describe("locateQuote", () => {
  test("an exact selection, trimmed", () => {
    expect(locateQuote("First the tests, then the code.", " the tests ")).toEqual({ start: 6, end: 15 });
  });

  test("a selection whose line breaks the page rendered as spaces", () => {
    const content = "one\n\ntwo  three";
    const at = locateQuote(content, "one two three");
    expect(at && content.slice(at.start, at.end)).toBe("one\n\ntwo  three");
  });

  test("nothing selected, or text that isn't there", () => {
    expect(locateQuote("abc", "  ")).toBeNull();
    expect(locateQuote("abc", "xyz (")).toBeNull();
  });
});

describe("fileMarkers", () => {
  test("thread starts anchored to lines of that file", () => {
    const file = { kind: "file", path: "a.ts", startLine: 1, endLine: 1 } as const;
    const comments = [
      { id: "1", parentId: null, anchor: file },
      { id: "2", parentId: "1", anchor: file },
      { id: "3", parentId: null, anchor: { ...file, path: "b.ts" } },
      { id: "4", parentId: null, anchor: null },
    ];
    expect(fileMarkers(comments, "a.ts").map((comment) => comment.id)).toEqual(["1"]);
  });
});
