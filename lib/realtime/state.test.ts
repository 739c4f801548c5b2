import { describe, expect, test } from "vitest";
import { makeStep } from "@/lib/steps/fixtures";
import { appendAt, applySessionEvent, stateFromSnapshot } from "./state";

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

  test("a delta for an unknown step is ignored", () => {
    expect(applySessionEvent(base, { type: "step.delta", seq: 6, stepId: "zz", offset: 0, text: "x" }).steps).toBe(
      base.steps,
    );
  });
});
