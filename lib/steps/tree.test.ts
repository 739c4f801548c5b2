import { describe, expect, it } from "vitest";
import { chain, makeStep } from "./fixtures";
import {
  branchPoint,
  childrenOf,
  indexSteps,
  isBranchEnd,
  latestLeafUnder,
  leavesOf,
  pathTo,
  siblingsOf,
} from "./tree";
import type { StepNode } from "./types";

const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, seconds)).toISOString();

/**
 *        task
 *         |
 *        t1 (thinking)
 *       /    \
 *     a1      e1 (edit of a1, newer)
 *     |      /   \
 *     a2   e2     e3 (newest)
 */
function sampleTree(): StepNode[] {
  return [
    makeStep({ id: "e3", parentId: "e1", createdAt: at(9) }),
    makeStep({ id: "a2", parentId: "a1", createdAt: at(3) }),
    makeStep({ id: "task", parentId: null, kind: "task", createdAt: at(0) }),
    makeStep({ id: "e1", parentId: "t1", origin: "human_edit", editedFromId: "a1", createdAt: at(5) }),
    makeStep({ id: "t1", parentId: "task", kind: "thinking", createdAt: at(1) }),
    makeStep({ id: "e2", parentId: "e1", createdAt: at(6) }),
    makeStep({ id: "a1", parentId: "t1", createdAt: at(2) }),
  ];
}

const ids = (steps: readonly StepNode[]) => steps.map((s) => s.id);

describe("indexSteps / childrenOf", () => {
  it("orders siblings by creation time, whatever the input order", () => {
    const index = indexSteps(sampleTree());
    expect(ids(childrenOf(index, null))).toEqual(["task"]);
    expect(ids(childrenOf(index, "t1"))).toEqual(["a1", "e1"]);
    expect(ids(childrenOf(index, "e1"))).toEqual(["e2", "e3"]);
    expect(childrenOf(index, "a2")).toEqual([]);
  });

  it("breaks creation-time ties by id and compares times across ISO offsets", () => {
    const index = indexSteps([
      makeStep({ id: "root" }),
      makeStep({ id: "b", parentId: "root", createdAt: "2025-01-01T00:00:01.000Z" }),
      makeStep({ id: "a", parentId: "root", createdAt: "2025-01-01T00:00:01.000Z" }),
      // 00:00:00.5 UTC, written with an offset: earlier than both despite sorting later as text
      makeStep({ id: "z", parentId: "root", createdAt: "2025-01-01T01:00:00.500+01:00" }),
    ]);
    expect(ids(childrenOf(index, "root"))).toEqual(["z", "a", "b"]);
  });
});

describe("pathTo", () => {
  it("returns the steps from the root to the leaf", () => {
    const index = indexSteps(sampleTree());
    expect(ids(pathTo(index, "e3"))).toEqual(["task", "t1", "e1", "e3"]);
    expect(ids(pathTo(index, "task"))).toEqual(["task"]);
  });

  it("throws on an unknown id or a dangling parent", () => {
    expect(() => pathTo(indexSteps(sampleTree()), "nope")).toThrow(/Unknown step nope/);
    const index = indexSteps([makeStep({ id: "orphan", parentId: "gone" })]);
    expect(() => pathTo(index, "orphan")).toThrow(/Unknown step gone/);
  });

  it("throws on a cycle instead of looping", () => {
    const index = indexSteps([makeStep({ id: "x", parentId: "y" }), makeStep({ id: "y", parentId: "x" })]);
    expect(() => pathTo(index, "x")).toThrow(/Cycle/);
    expect(() => pathTo(indexSteps([makeStep({ id: "self", parentId: "self" })]), "self")).toThrow(/Cycle/);
  });
});

describe("siblingsOf", () => {
  it("gives the alternatives and the step's position among them", () => {
    const index = indexSteps(sampleTree());
    const { siblings, position } = siblingsOf(index, "e1");
    expect(ids(siblings)).toEqual(["a1", "e1"]);
    expect(position).toBe(1);
    expect(siblingsOf(index, "task")).toMatchObject({ position: 0 });
    expect(() => siblingsOf(index, "nope")).toThrow();
  });
});

describe("leavesOf", () => {
  it("lists every branch in tree order with its path length", () => {
    const leaves = leavesOf(indexSteps(sampleTree()));
    expect(leaves.map((l) => [l.leaf.id, l.pathLength])).toEqual([
      ["a2", 4],
      ["e2", 4],
      ["e3", 4],
    ]);
  });

  it("is empty for no steps", () => {
    expect(leavesOf(indexSteps([]))).toEqual([]);
  });
});

describe("isBranchEnd", () => {
  it("is true for exactly the leaves: a step something continues is not a branch's end", () => {
    const index = indexSteps(sampleTree());
    expect(
      sampleTree()
        .filter((step) => isBranchEnd(index, step.id))
        .map((step) => step.id)
        .sort(),
    ).toEqual(ids(leavesOf(index).map((l) => l.leaf)).sort());
    expect(isBranchEnd(index, "e1")).toBe(false);
  });
});

describe("latestLeafUnder", () => {
  it("follows the newest child down", () => {
    const index = indexSteps(sampleTree());
    expect(latestLeafUnder(index, "e1").id).toBe("e3");
    expect(latestLeafUnder(index, "task").id).toBe("e3");
    expect(latestLeafUnder(index, "a1").id).toBe("a2");
    expect(latestLeafUnder(index, "a2").id).toBe("a2");
  });

  it("throws on a cycle", () => {
    const index = indexSteps([makeStep({ id: "x", parentId: "y" }), makeStep({ id: "y", parentId: "x" })]);
    expect(() => latestLeafUnder(index, "x")).toThrow(/Cycle/);
  });
});

describe("branchPoint", () => {
  it("finds the deepest shared step", () => {
    const index = indexSteps(sampleTree());
    expect(branchPoint(pathTo(index, "a2"), pathTo(index, "e3"))?.id).toBe("t1");
    expect(branchPoint(pathTo(index, "e2"), pathTo(index, "e3"))?.id).toBe("e1");
    expect(branchPoint(pathTo(index, "e1"), pathTo(index, "e3"))?.id).toBe("e1");
    expect(branchPoint(pathTo(index, "e3"), [])).toBeNull();
    expect(branchPoint([makeStep({ id: "p" })], [makeStep({ id: "q" })])).toBeNull();
  });
});

describe("5,000 steps", () => {
  it("indexes, walks and lists a deep chain with side branches quickly", () => {
    const main = chain(Array.from({ length: 4_000 }, () => ({})));
    // every 4th step of the chain gets an alternative with a short continuation
    const alternatives = main
      .filter((_, i) => i % 4 === 1)
      .flatMap((s, i) => [
        makeStep({ id: `alt${i}`, parentId: s.parentId, createdAt: at(59) }),
        makeStep({ id: `alt${i}-next`, parentId: `alt${i}`, createdAt: at(59) }),
      ]);
    const steps = [...alternatives, ...main].reverse();
    expect(steps.length).toBe(6_000);

    const started = performance.now();
    const index = indexSteps(steps);
    const path = pathTo(index, "s3999");
    const leaves = leavesOf(index);
    const latest = latestLeafUnder(index, "s0");
    const fork = branchPoint(path, pathTo(index, "alt999-next"));
    const elapsed = performance.now() - started;

    expect(path.length).toBe(4_000);
    expect(leaves.length).toBe(1_001);
    expect(latest.id).toBe("alt0-next"); // the alternative of s1 is newer than s1
    expect(fork?.id).toBe("s3996");
    expect(elapsed).toBeLessThan(200);
  });
});
