import { describe, expect, test } from "vitest";
import { makeStep } from "@/lib/steps/fixtures";
import { checkAnchor, fileMarkers, fileWrittenBy, lineCount, locateQuote } from "./anchor";

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

  test("lines past the end of the file as the step left it are refused, when its content is known", () => {
    // "x\ny\n" is three lines in the editor: x, y and the empty last one
    const file = { kind: "file", path: "src/a.ts" } as const;
    expect(checkAnchor(write, { ...file, startLine: 2, endLine: 3 }, "x\ny\n")).toMatchObject({ ok: true });
    expect(checkAnchor(write, { ...file, startLine: 3, endLine: 4 }, "x\ny\n")).toEqual({
      ok: false,
      error: "src/a.ts has 3 lines as this step left it; the comment ends at line 4.",
    });
    expect(checkAnchor(write, { ...file, startLine: 2, endLine: 2 }, "")).toEqual({
      ok: false,
      error: "src/a.ts has 1 line as this step left it; the comment ends at line 2.",
    });
    // unknown content: only the cap applies
    expect(checkAnchor(write, { ...file, startLine: 7, endLine: 9 }, null)).toMatchObject({ ok: true });
  });
});

describe("lineCount", () => {
  test("counts lines as the editor does: every line break (\\n, \\r\\n or \\r) starts one", () => {
    expect(lineCount("")).toBe(1);
    expect(lineCount("a")).toBe(1);
    expect(lineCount("a\n")).toBe(2);
    expect(lineCount("a\r\nb\rc\nd")).toBe(4);
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
