import { describe, expect, test } from "vitest";
import { makeStep } from "@/lib/steps/fixtures";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";
import { BranchView, sharedPart, sharedStepIds } from "./share-view";

const session: SessionSummary = {
  id: "session-1",
  title: "t",
  modelId: "offline-demo",
  settings: { maxTurns: 3 },
  activeLeafId: "other",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

const run = (id: string, fromStepId: string): RunView =>
  ({ id, sessionId: "session-1", fromStepId, status: "running" }) as RunView;

// task ─┬─ a ─ leaf ─ below
//       └─ other
const steps = [
  makeStep({ id: "task" }),
  makeStep({ id: "a", parentId: "task" }),
  makeStep({ id: "other", parentId: "task", runId: "r-other" }),
  makeStep({ id: "below", parentId: "leaf", runId: "r-below" }),
  makeStep({ id: "leaf", parentId: "a" }),
];

describe("BranchView", () => {
  test("a snapshot keeps the path to the shared step and what grew after it; the open branch is the shared one", () => {
    const view = new BranchView("leaf");
    const seeded = view.seed({ session, steps, runs: [run("r-other", "task"), run("r-below", "leaf")] });
    expect(seeded.steps.map((step) => step.id)).toEqual(["task", "a", "below", "leaf"]);
    expect(seeded.runs.map((item) => item.id)).toEqual(["r-below"]);
    expect(seeded.session.activeLeafId).toBe("leaf");
  });

  test("live events: new steps under the shared branch pass, sibling branches and their runs don't", () => {
    const view = new BranchView("leaf");
    view.seed({ session, steps, runs: [] });
    const created = (id: string, parentId: string) =>
      view.filter({ type: "step.created", seq: 1, step: makeStep({ id, parentId, runId: "r-new" }) });
    expect(created("deeper", "below")).not.toBeNull();
    expect(view.filter({ type: "step.delta", seq: 2, stepId: "deeper", offset: 0, text: "x" })).not.toBeNull();
    expect(created("sibling", "task")).toBeNull();
    expect(created("under-sibling", "other")).toBeNull();
    expect(view.filter({ type: "step.delta", seq: 3, stepId: "sibling", offset: 0, text: "x" })).toBeNull();
    expect(view.filter({ type: "step.removed", seq: 4, stepId: "other" })).toBeNull();
    expect(view.filter({ type: "run.updated", seq: 5, run: run("r-new", "below") })).not.toBeNull();
    expect(view.filter({ type: "run.updated", seq: 6, run: run("r-x", "task") })).toBeNull();
    const updated = view.filter({ type: "session.updated", seq: 7, session });
    expect(updated?.type === "session.updated" && updated.session.activeLeafId).toBe("leaf");
  });

  test("a shared step that is gone shows nothing", () => {
    const seeded = new BranchView("deleted").seed({ session, steps, runs: [run("r-other", "task")] });
    expect([seeded.steps, seeded.runs]).toEqual([[], []]);
  });
});

describe("sharedStepIds", () => {
  test("the path to the shared step and everything below it, not its siblings' branches", () => {
    expect([...sharedStepIds(steps, "leaf")].sort()).toEqual(["a", "below", "leaf", "task"]);
    expect([...sharedStepIds(steps, "other")].sort()).toEqual(["other", "task"]);
  });

  test("a step that is not in the tree shows nothing", () => {
    expect(sharedStepIds(steps, "gone").size).toBe(0);
  });
});

describe("sharedPart", () => {
  test("runs that made a shown step or continue below the shared one; not a run that made a hidden branch", () => {
    const runs = [run("r-below", "leaf"), run("r-other", "task"), run("r-next", "below"), run("r-sibling", "a")];
    const part = sharedPart(steps, runs, "leaf");
    expect(part.runs.map((shown) => shown.id)).toEqual(["r-below", "r-next"]);
    expect(part.stepIds.has("other")).toBe(false);
  });
});
