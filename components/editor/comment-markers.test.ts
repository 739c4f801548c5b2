import { describe, expect, test } from "vitest";
import type { StepNode } from "@/lib/steps/types";
import type { CommentView } from "@/lib/wire/comments";
import {
  commentMarkers,
  fileVersionStep,
  linesLabel,
  literalMarkdown,
  markerAtLine,
  markerHover,
  selectedLines,
} from "./comment-markers";

const write = (id: string, path: string) =>
  ({
    id,
    kind: "tool_call",
    providerData: { toolName: "write_file", toolInput: JSON.stringify({ path, content: "x" }) },
  }) as Pick<StepNode, "id" | "kind" | "providerData">;
const think = (id: string) =>
  ({ id, kind: "thinking", providerData: null }) as Pick<StepNode, "id" | "kind" | "providerData">;

function comment(id: string, stepId: string, over: Partial<CommentView> = {}): CommentView {
  return {
    id,
    sessionId: "s",
    stepId,
    parentId: null,
    authorId: "u",
    authorName: "Ada",
    body: "Off by one?",
    anchor: { kind: "file", path: "a.py", startLine: 2, endLine: 3 },
    mentions: [],
    resolvedAt: null,
    resolvedByName: null,
    editedAt: null,
    deletedAt: null,
    createdAt: "2026-12-01T00:00:00.000Z",
    updatedAt: "2026-12-01T00:00:00.000Z",
    ...over,
  };
}

describe("commentMarkers", () => {
  const path = [think("t"), write("w1", "a.py"), write("w2", "b.py"), write("w3", "a.py"), think("end")];

  test("threads on this file up to the point, each said to be on the version shown or an earlier one", () => {
    const comments = [
      comment("c1", "w1"),
      comment("r1", "w1", { parentId: "c1", anchor: null }),
      comment("c3", "w3", { anchor: { kind: "file", path: "a.py", startLine: 1, endLine: 1 }, resolvedAt: "x" }),
      comment("cb", "w2", { anchor: { kind: "file", path: "b.py", startLine: 1, endLine: 1 } }),
      comment("off", "elsewhere"),
    ];
    expect(commentMarkers(comments, "a.py", path, null)).toEqual([
      expect.objectContaining({
        commentId: "c3",
        stepId: "w3",
        startLine: 1,
        replies: 0,
        resolved: true,
        earlier: false,
      }),
      expect.objectContaining({ commentId: "c1", stepId: "w1", startLine: 2, endLine: 3, replies: 1, earlier: true }),
    ]);
    // at w2 the file shown is w1's version; w3's comment is after the point
    expect(commentMarkers(comments, "a.py", path, "w2")).toEqual([
      expect.objectContaining({ commentId: "c1", earlier: false }),
    ]);
    expect(commentMarkers(comments, "c.py", path, null)).toEqual([]);
  });

  test("the marker at a line, and a hover that shows the text literally", () => {
    const markers = commentMarkers([comment("c1", "w1", { body: "Use *args* [here](x)" })], "a.py", path, "w1");
    expect(markerAtLine(markers, 3)?.commentId).toBe("c1");
    expect(markerAtLine(markers, 4)).toBeNull();
    expect(literalMarkdown("*a* [b](c)")).toBe("\\*a\\* \\[b\\]\\(c\\)");
    expect(markerHover(markers[0] as (typeof markers)[number])).toContain("Use \\*args\\* \\[here\\]\\(x\\)");
    expect(markerHover({ ...(markers[0] as (typeof markers)[number]), earlier: true })).toContain("earlier version");
  });
});

describe("fileVersionStep", () => {
  const path = [think("t"), write("w1", "a.py"), write("w2", "b.py"), write("w3", "a.py"), think("end")];

  test("the last step up to the point that wrote the file: a new comment on its lines is on that step", () => {
    expect(fileVersionStep(path, "a.py", null)).toBe("w3");
    expect(fileVersionStep(path, "a.py", "w2")).toBe("w1");
    expect(fileVersionStep(path, "b.py", "end")).toBe("w2");
  });

  test("no step up to the point wrote it (a starting file as uploaded, or written later): nothing to comment on", () => {
    expect(fileVersionStep(path, "c.py", null)).toBeNull();
    expect(fileVersionStep(path, "b.py", "w1")).toBeNull();
  });
});

describe("selectedLines", () => {
  const selection = (startLineNumber: number, startColumn: number, endLineNumber: number, endColumn: number) => ({
    startLineNumber,
    startColumn,
    endLineNumber,
    endColumn,
  });

  test("a caret is its line; a selection its lines", () => {
    expect(selectedLines(selection(4, 3, 4, 3))).toEqual({ startLine: 4, endLine: 4 });
    expect(selectedLines(selection(2, 5, 3, 7))).toEqual({ startLine: 2, endLine: 3 });
  });

  test("whole lines dragged down to the next line's start stop at the line before it", () => {
    expect(selectedLines(selection(2, 1, 4, 1))).toEqual({ startLine: 2, endLine: 3 });
    expect(selectedLines(selection(2, 1, 2, 1))).toEqual({ startLine: 2, endLine: 2 });
  });

  test("named as the threads name them", () => {
    expect(linesLabel({ startLine: 3, endLine: 3 })).toBe("line 3");
    expect(linesLabel({ startLine: 2, endLine: 5 })).toBe("lines 2–5");
  });
});
