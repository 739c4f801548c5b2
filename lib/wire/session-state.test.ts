import { describe, expect, test } from "vitest";
import { makeStep } from "@/lib/steps/fixtures";
import type { StepNode } from "@/lib/steps/types";
import { makeComment } from "./comment-fixtures";
import type { SessionEvent } from "./events";
import { appendAt, applyCommentList, applySessionEvent, applySessionEvents, stateFromSnapshot } from "./session-state";

const session = {
  id: "s1",
  title: "t",
  modelId: "m",
  settings: { maxTurns: 25 },
  activeLeafId: "a",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

describe("appendAt", () => {
  test("appends at the end", () => expect(appendAt("abc", 3, "de")).toBe("abcde"));
  test("ignores a delta already applied", () => expect(appendAt("abcde", 3, "de")).toBe("abcde"));
  test("keeps only the new part of an overlapping delta", () => expect(appendAt("abcd", 3, "de")).toBe("abcde"));
  test("a gap (missed delta) still appends rather than losing text", () =>
    expect(appendAt("ab", 3, "de")).toBe("abde"));
});

describe("applySessionEvent", () => {
  const base = stateFromSnapshot({ seq: 5, session, steps: [makeStep({ id: "a", content: "" })], runs: [] });

  test("a removed step (one that could not be saved) leaves the viewer's copy", () => {
    const next = applySessionEvent(base, { type: "step.removed", seq: 6, stepId: "a" });
    expect(next.steps.has("a")).toBe(false);
    expect(next.seq).toBe(6);
    const again = applySessionEvent(next, { type: "step.removed", seq: 7, stepId: "a" });
    expect(again.steps).toBe(next.steps);
  });

  test("a delta replaces only its own step", () => {
    const other = makeStep({ id: "b", content: "x" });
    const withB = applySessionEvent(base, { type: "step.created", seq: 6, step: other });
    const next = applySessionEvent(withB, { type: "step.delta", seq: 7, stepId: "a", offset: 0, text: "Hi" });
    expect(next.steps.get("a")?.content).toBe("Hi");
    expect(next.steps.get("b")).toBe(withB.steps.get("b"));
    expect(next.seq).toBe(7);
  });

  test("replaying the same delta twice is harmless", () => {
    const once = applySessionEvent(base, { type: "step.delta", seq: 6, stepId: "a", offset: 0, text: "Hi" });
    const twice = applySessionEvent(once, { type: "step.delta", seq: 6, stepId: "a", offset: 0, text: "Hi" });
    expect(twice.steps.get("a")?.content).toBe("Hi");
    expect(twice.steps).toBe(once.steps);
  });

  test("an update without the author's or starter's name keeps the one the viewer has", () => {
    const run = {
      id: "r1",
      sessionId: "s1",
      fromStepId: "a",
      modelId: "m",
      status: "running",
      errorCode: null,
      errorMessage: null,
      inputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      reasoningEstimated: false,
      costUsd: 0,
      resumesRunId: null,
      createdAt: session.createdAt,
      startedAt: session.createdAt,
      finishedAt: null,
    } as const;
    const named = applySessionEvents(base, [
      { type: "step.created", seq: 6, step: makeStep({ id: "e", origin: "human_edit", authorName: "Ada" }) },
      { type: "run.updated", seq: 7, run: { ...run, startedByName: "Grace" } },
    ]);
    const updated = applySessionEvents(named, [
      { type: "step.updated", seq: 8, step: makeStep({ id: "e", origin: "human_edit", status: "error" }) },
      { type: "run.updated", seq: 9, run: { ...run, status: "failed" } },
      { type: "run.updated", seq: 10, run: { ...run, status: "failed", resumedByRunId: "r2" } },
      { type: "run.updated", seq: 11, run: { ...run, status: "failed" } },
    ]);
    expect(updated.steps.get("e")).toMatchObject({ status: "error", authorName: "Ada" });
    expect(updated.runs.get("r1")).toMatchObject({ status: "failed", startedByName: "Grace", resumedByRunId: "r2" });
  });

  test("a delta for an unknown step is ignored", () => {
    expect(applySessionEvent(base, { type: "step.delta", seq: 6, stepId: "zz", offset: 0, text: "x" }).steps).toBe(
      base.steps,
    );
  });
});

describe("applySessionEvents", () => {
  const steps = [makeStep({ id: "a", content: "", firstTokenAt: "2026-01-01T00:00:01.000Z" }), makeStep({ id: "b" })];
  const start = () => stateFromSnapshot({ seq: 5, session, steps, runs: [] });
  const deltas: SessionEvent[] = Array.from({ length: 50 }, (_, i) => ({
    type: "step.delta",
    seq: 6 + i,
    stepId: "a",
    offset: i,
    text: "y",
  }));

  test("a frame of 50 deltas copies the step map once, not once per event", () => {
    const state = start();
    const map = state.steps as Map<string, StepNode>;
    const entries = map[Symbol.iterator].bind(map);
    let copies = 0;
    Object.defineProperty(map, Symbol.iterator, {
      value: () => {
        copies++;
        return entries();
      },
    });
    const next = applySessionEvents(state, deltas);
    expect(copies).toBe(1);
    expect(next.steps.get("a")?.content).toBe("y".repeat(50));
    expect(next.steps.get("b")).toBe(state.steps.get("b"));
    expect(next.seq).toBe(55);
  });

  test("folds a mixed batch exactly as one event at a time", () => {
    const created = makeStep({ id: "c", parentId: "b", content: "", firstTokenAt: "2026-01-01T00:00:02.000Z" });
    const events: SessionEvent[] = [
      { type: "step.created", seq: 6, step: created },
      { type: "step.delta", seq: 7, stepId: "c", offset: 0, text: "Hel" },
      { type: "step.delta", seq: 8, stepId: "c", offset: 3, text: "lo" },
      { type: "step.removed", seq: 9, stepId: "b" },
      { type: "session.updated", seq: 10, session: { ...session, title: "renamed" } },
      ...deltas.slice(0, 3),
    ];
    const oneByOne = events.reduce(applySessionEvent, start());
    const batched = applySessionEvents(start(), events);
    expect([...batched.steps.entries()]).toEqual([...oneByOne.steps.entries()]);
    expect(batched.session).toEqual(oneByOne.session);
    expect(batched.seq).toBe(10);
  });

  test("a batch that changes nothing returns the same state", () => {
    const state = start();
    const stale: SessionEvent[] = [{ type: "step.delta", seq: 3, stepId: "zz", offset: 0, text: "x" }];
    expect(applySessionEvents(state, stale)).toBe(state);
    expect(applySessionEvents(state, [])).toBe(state);
  });
});

describe("presence", () => {
  const viewer = (viewerId: string, stepId: string | null = null) => ({
    viewerId,
    name: viewerId,
    kind: "person" as const,
    userId: `user-${viewerId}`,
    stepId,
    since: "2026-01-01T00:00:00.000Z",
  });

  test("the newest presence event's list replaces the viewers; nothing else changes identity", () => {
    const state = stateFromSnapshot({ seq: 0, session, steps: [], runs: [] });
    expect(state.viewers).toEqual([]);
    const next = applySessionEvents(state, [
      { type: "presence", viewers: [viewer("ana")], seq: 1 },
      { type: "presence", viewers: [viewer("ana"), viewer("ben", "a")], seq: 2 },
    ]);
    expect(next.viewers.map((v) => [v.viewerId, v.stepId])).toEqual([
      ["ana", null],
      ["ben", "a"],
    ]);
    expect(next.steps).toBe(state.steps);
    expect(next.runs).toBe(state.runs);
  });
});

describe("applyCommentList", () => {
  const known = new Map([
    ["c1", makeComment("c1")],
    ["c2", makeComment("c2")],
  ]);

  test("a comment the viewer had when it asked and the list leaves out was deleted meanwhile: it goes", () => {
    const next = applyCommentList(known, [makeComment("c1")], new Set(["c1", "c2"]));
    expect([...next.keys()]).toEqual(["c1"]);
  });

  test("a comment learnt of after asking (its event raced the list) stays; listed ones merge in their newest version", () => {
    const edited = makeComment("c1", { updatedAt: "2026-01-02T00:00:00.000Z" });
    const next = applyCommentList(known, [edited, makeComment("c3")], new Set(["c1"]));
    expect([...next.keys()].sort()).toEqual(["c1", "c2", "c3"]);
    expect(next.get("c1")).toBe(edited);
  });
});
