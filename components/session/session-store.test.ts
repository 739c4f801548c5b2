import { describe, expect, it } from "vitest";
import { outlineBranch, resolveLeaf } from "@/lib/steps/branch-outline";
import { chain, makeStep } from "@/lib/steps/fixtures";
import { indexSteps } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import { makeComment } from "@/lib/wire/comment-fixtures";
import { stateFromSnapshot } from "@/lib/wire/session-state";
import type { RunView } from "@/lib/wire/sessions";
import { initialViewState, viewReducer } from "./session-store";

const session = {
  id: "session-1",
  title: "t",
  modelId: "m",
  settings: { maxTurns: 25 },
  activeLeafId: "s2",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

const run = (status: RunView["status"]): RunView => ({
  id: "run-1",
  sessionId: "session-1",
  fromStepId: "s2",
  modelId: "m",
  status,
  errorCode: null,
  errorMessage: null,
  inputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  reasoningEstimated: false,
  costUsd: 0,
  resumesRunId: null,
  createdAt: "2025-01-01T00:00:00.000Z",
  startedAt: null,
  finishedAt: null,
});

/** What the server sends for `leaf`: its branch's outline, with every step of `steps` loaded. */
function outlineOf(steps: StepNode[], leaf: string | null = null) {
  const index = indexSteps(steps);
  return outlineBranch(index, resolveLeaf(index, leaf, { fallback: session.activeLeafId }));
}

function viewOf(steps: StepNode[], leaf: string | null = null) {
  return initialViewState(stateFromSnapshot({ seq: 0, session, steps, runs: [] }), outlineOf(steps, leaf));
}

const path = chain([{ kind: "task" }, { kind: "thinking" }, { kind: "text" }]);

describe("viewReducer", () => {
  it("starts on the latest continuation of the requested step", () => {
    const fork = makeStep({ id: "s1b", parentId: "s0", createdAt: "2025-01-02T00:00:00.000Z" });
    expect(viewOf([...path, fork], "s0").branch.leafId).toBe("s1b");
    expect(viewOf([...path, fork], "s0").branch.forks).toEqual({ s0: ["s1", "s1b"] });
    expect(viewOf(path, "unknown").branch.leafId).toBe("s2");
  });

  it("follows a step created below the leaf, not one on another branch", () => {
    const below = makeStep({ id: "s3", parentId: "s2", status: "streaming" });
    const elsewhere = makeStep({ id: "x", parentId: "s0" });
    const state = viewReducer(viewOf(path), {
      type: "messages",
      messages: [
        { type: "step.created", step: elsewhere, seq: 1 },
        { type: "step.created", step: below, seq: 2 },
        { type: "step.delta", stepId: "s3", offset: 0, text: "Hi", seq: 3 },
      ],
    });
    expect(state.branch.leafId).toBe("s3");
    expect(state.branch.path).toEqual(["s0", "s1", "s2", "s3"]);
    // the step below the task is a new alternative of s1: a second branch
    expect(state.branch.forks).toEqual({ s0: ["s1", "x"] });
    expect(state.branch.branchCount).toBe(2);
    expect(state.stream.steps.get("s3")?.content).toBe("Hi");
  });

  it("a delta gives only its own step a new identity", () => {
    const before = viewOf([...path, makeStep({ id: "s3", parentId: "s2", status: "streaming" })]);
    const after = viewReducer(before, {
      type: "messages",
      messages: [{ type: "step.delta", stepId: "s3", offset: 0, text: "x", seq: 1 }],
    });
    for (const id of ["s0", "s1", "s2"]) expect(after.stream.steps.get(id)).toBe(before.stream.steps.get(id));
    expect(after.stream.steps.get("s3")).not.toBe(before.stream.steps.get("s3"));
  });

  it("an API response arriving after the stream's event does not roll it back", () => {
    let state = viewReducer(viewOf(path), {
      type: "messages",
      messages: [{ type: "run.updated", run: run("done"), seq: 1 }],
    });
    state = viewReducer(state, { type: "run", run: run("running") });
    expect(state.stream.runs.get("run-1")?.status).toBe("done");

    const streamed = makeStep({ id: "s3", parentId: "s2", content: "more text" });
    state = viewReducer(state, { type: "messages", messages: [{ type: "step.created", step: streamed, seq: 2 }] });
    state = viewReducer(state, { type: "step", step: { ...streamed, content: "" } });
    expect(state.stream.steps.get("s3")?.content).toBe("more text");
  });

  it("shows a step a request returned at once, following it when it extends the leaf", () => {
    const note = makeStep({ id: "n", parentId: "s2", kind: "user_note", origin: "human" });
    expect(viewReducer(viewOf(path), { type: "step", step: note }).branch.leafId).toBe("n");
  });

  it("a snapshot keeps unchanged steps' identities and takes the branch it outlines", () => {
    const before = viewOf(path);
    const grown = makeStep({ id: "s3", parentId: "s2" });
    const copies = path.map((step) => ({ ...step, providerData: step.providerData ? { ...step.providerData } : null }));
    const after = viewReducer(before, {
      type: "messages",
      messages: [
        { type: "snapshot", seq: 9, session, steps: [...copies, grown], runs: [], branch: outlineOf([...path, grown]) },
      ],
    });
    expect(after.stream.steps.get("s1")).toBe(before.stream.steps.get("s1"));
    expect(after.branch.leafId).toBe("s3");
    expect(after.stream.seq).toBe(9);
  });

  it("a snapshot of a short tail keeps the ended steps fetched before it", () => {
    const before = viewOf(path);
    const after = viewReducer(before, {
      type: "messages",
      messages: [{ type: "snapshot", seq: 9, session, steps: [path[2] as StepNode], runs: [], branch: before.branch }],
    });
    expect(after.stream.steps.get("s0")).toBe(before.stream.steps.get("s0"));
  });

  it("opens a step of the path, cut there, remembering what followed as an alternative", () => {
    const state = viewReducer(viewOf(path), { type: "open", step: { id: "s1", parentId: "s0", kind: "thinking" } });
    expect(state.branch.path).toEqual(["s0", "s1"]);
    const regenerated = makeStep({ id: "r", parentId: "s1", kind: "text" });
    const after = viewReducer(state, {
      type: "messages",
      messages: [{ type: "step.created", step: regenerated, seq: 1 }],
    });
    expect(after.branch.path).toEqual(["s0", "s1", "r"]);
    expect(after.branch.forks.s1).toEqual(["s2", "r"]);
    expect(after.branch.branchCount).toBe(2);
  });

  it("an edit returned by the API opens as a new alternative; an unplaceable step is not opened", () => {
    const edit = makeStep({ id: "e", parentId: "s0", kind: "thinking", origin: "human_edit", editedFromId: "s1" });
    const state = viewReducer(viewOf(path), { type: "step", step: edit, open: true });
    expect(state.branch.path).toEqual(["s0", "e"]);
    expect(state.branch.forks.s0).toEqual(["s1", "e"]);
    expect(viewReducer(state, { type: "open", step: { id: "far", parentId: "elsewhere", kind: "text" } })).toBe(state);
  });

  it("a fetched branch goes on with steps the stream already brought below its leaf", () => {
    const below = makeStep({ id: "s3", parentId: "s2", createdAt: "2025-01-03T00:00:00.000Z" });
    const start = viewReducer(viewOf(path), {
      type: "messages",
      messages: [{ type: "step.created", step: below, seq: 1 }],
    });
    const fetched = viewReducer(start, { type: "branch", branch: outlineOf(path, "s2"), steps: [] });
    expect(fetched.branch.leafId).toBe("s3");
  });
});

describe("comments", () => {
  it("a comment deleted while the stream was down (the reconnect got a snapshot, no comment.deleted) goes with the list that follows", () => {
    let state = viewOf(path);
    state = viewReducer(state, {
      type: "comments.listed",
      comments: [makeComment("c1"), makeComment("c2")],
      knownAtRequest: new Set(),
    });
    // reconnected: a snapshot (it carries no comments), then the list asked for with c1 and c2 known
    state = viewReducer(state, {
      type: "messages",
      messages: [{ type: "snapshot", seq: 9, session, steps: path, runs: [], branch: outlineOf(path) }],
    });
    expect([...state.stream.comments.keys()]).toEqual(["c1", "c2"]);
    state = viewReducer(state, {
      type: "comments.listed",
      comments: [makeComment("c1")],
      knownAtRequest: new Set(["c1", "c2"]),
    });
    expect([...state.stream.comments.keys()]).toEqual(["c1"]);
  });
});
