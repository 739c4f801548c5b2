import { describe, expect, it } from "vitest";
import {
  addToOutline,
  countLeaves,
  openInOutline,
  outlineBranch,
  removeFromOutline,
  resolveLeaf,
  siblingsOnPath,
} from "./branch-outline";
import { chain, makeStep } from "./fixtures";
import { indexSteps } from "./tree";

// s0 → s1 → s2 → s3, with b1 (newer) beside s1 and b2 below b1
const path = chain([{ kind: "task" }, { kind: "thinking" }, { kind: "tool_call" }, { kind: "text" }]);
const b1 = makeStep({ id: "b1", parentId: "s0", kind: "thinking", createdAt: "2025-02-01T00:00:00.000Z" });
const b2 = makeStep({ id: "b2", parentId: "b1", createdAt: "2025-02-01T00:00:01.000Z" });
const index = indexSteps([...path, b1, b2]);

describe("outlineBranch", () => {
  it("lists the path's ids and kinds, the alternatives at each fork, and the branch count", () => {
    const outline = outlineBranch(index, "s3");
    expect(outline).toEqual({
      leafId: "s3",
      path: ["s0", "s1", "s2", "s3"],
      kinds: ["task", "thinking", "tool_call", "text"],
      forks: { s0: ["s1", "b1"] },
      branchCount: 2,
    });
    expect(siblingsOnPath(outline, 1)).toEqual({ siblings: ["s1", "b1"], position: 0 });
    expect(siblingsOnPath(outline, 2)).toEqual({ siblings: ["s2"], position: 0 });
    expect(countLeaves(index)).toBe(2);
  });

  it("resolves a requested step to its latest continuation unless exact, and falls back", () => {
    expect(resolveLeaf(index, "s0")).toBe("b2");
    expect(resolveLeaf(index, "s1", { exact: true })).toBe("s1");
    expect(resolveLeaf(index, "gone", { fallback: "s2" })).toBe("s3");
    expect(resolveLeaf(indexSteps([]), null)).toBeNull();
  });
});

describe("keeping the outline current", () => {
  const outline = outlineBranch(index, "s3");

  it("a step below the leaf extends the path; one below a path step is a new alternative", () => {
    const grown = addToOutline(outline, { id: "s4", parentId: "s3", kind: "text" });
    expect(grown.path.at(-1)).toBe("s4");
    expect(grown.branchCount).toBe(2);
    const edited = addToOutline(grown, { id: "e2", parentId: "s1", kind: "tool_call" });
    expect(edited.forks.s1).toEqual(["s2", "e2"]);
    expect(edited.branchCount).toBe(3);
    expect(addToOutline(edited, { id: "far", parentId: "b2", kind: "text" })).toBe(edited);
  });

  it("opens a path step exactly, or a new child of one; not a step it can't place", () => {
    const cut = openInOutline(outline, { id: "s1", parentId: "s0", kind: "thinking" });
    expect(cut?.path).toEqual(["s0", "s1"]);
    expect(cut?.forks.s1).toEqual(["s2"]);
    const opened = openInOutline(outline, { id: "n", parentId: "s2", kind: "user_note" });
    expect(opened?.path).toEqual(["s0", "s1", "s2", "n"]);
    expect(opened?.forks.s2).toEqual(["s3", "n"]);
    expect(openInOutline(outline, { id: "x", parentId: "b1", kind: "text" })).toBeNull();
  });

  it("a removed step leaves the path with what follows it, and the forks", () => {
    const removed = removeFromOutline(outline, "s2");
    expect(removed.path).toEqual(["s0", "s1"]);
    expect(removed.leafId).toBe("s1");
    const alternative = removeFromOutline(outline, "b1");
    expect(alternative.forks.s0).toEqual(["s1"]);
    expect(alternative.branchCount).toBe(1);
  });
});
