import { describe, expect, test } from "vitest";
import { describeBranches, madeByLabel } from "./branches";
import { makeStep } from "./fixtures";

describe("describeBranches", () => {
  const task = makeStep({ id: "t", kind: "task", origin: "human", authorName: "Ada" });
  const think = makeStep({ id: "a", parentId: "t", kind: "thinking" });
  const edit = makeStep({ id: "b", parentId: "t", kind: "thinking", origin: "human_edit", authorName: "Grace" });
  const after = makeStep({ id: "c", parentId: "b", kind: "text" });

  test("a branch is made by its newest person's step below the task, named by its author", () => {
    const byLeaf = new Map(describeBranches([task, think, edit, after]).map((branch) => [branch.leafId, branch]));
    expect(byLeaf.get("a")).toMatchObject({ madeBy: "model", madeByName: null });
    expect(byLeaf.get("c")).toMatchObject({ madeBy: "human_edit", madeByName: "Grace" });
  });

  test("an edited task makes a branch; the original task doesn't", () => {
    const retold = makeStep({ id: "t2", kind: "task", origin: "human_edit", editedFromId: "t", authorName: "Grace" });
    const byLeaf = new Map(describeBranches([task, retold]).map((branch) => [branch.leafId, branch]));
    expect(byLeaf.get("t")).toMatchObject({ madeBy: "model", madeByName: null });
    expect(byLeaf.get("t2")).toMatchObject({ madeBy: "human_edit", madeByName: "Grace" });
  });

  test("a person's step without a name is made by nobody named", () => {
    const unnamed = makeStep({ id: "n", parentId: "t", kind: "user_note", origin: "human" });
    expect(describeBranches([task, unnamed])[0]).toMatchObject({ madeBy: "human", madeByName: null });
  });
});

describe("madeByLabel", () => {
  test("names the person, the bot or the model", () => {
    expect(madeByLabel({ madeBy: "model", madeByName: null })).toBe("by the model");
    expect(madeByLabel({ madeBy: "human_edit", madeByName: "Grace" })).toBe("edited by Grace");
    expect(madeByLabel({ madeBy: "human", madeByName: "nightly-ci (bot)" })).toBe("changed by nightly-ci (bot)");
  });

  test("nobody named: a person", () => {
    expect(madeByLabel({ madeBy: "human_edit", madeByName: null })).toBe("edited by a person");
  });
});
