import { describe, expect, test } from "vitest";
import type { StepNode } from "@/lib/steps/types";
import type { CommentView } from "@/lib/wire/comments";
import { commentMarkers, literalMarkdown, markerAtLine, markerHover } from "./comment-markers";

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
