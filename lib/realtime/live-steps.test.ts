import { describe, expect, test } from "vitest";
import type { StepNode } from "@/lib/steps/types";
import type { SessionEvent } from "@/lib/wire/events";
import { stepLiveIn } from "./live-steps";

const step = (id: string) => ({ id }) as StepNode;

describe("stepLiveIn", () => {
  test("a step created on the bus is the session's until it is removed", () => {
    const created: SessionEvent = { type: "step.created", step: step("s1"), seq: 1 };
    const delta: SessionEvent = { type: "step.delta", stepId: "s1", offset: 0, text: "x", seq: 2 };
    const removed: SessionEvent = { type: "step.removed", stepId: "s1", seq: 3 };
    expect(stepLiveIn([created, delta], "s1")).toBe(true);
    expect(stepLiveIn([created, delta, removed], "s1")).toBe(false);
    expect(stepLiveIn([{ type: "step.updated", step: step("s1"), seq: 4 }], "s1")).toBe(true);
  });

  test("a delta alone, another step's events or none are not enough", () => {
    expect(stepLiveIn([], "s1")).toBe(false);
    expect(stepLiveIn([{ type: "step.delta", stepId: "s1", offset: 0, text: "x", seq: 1 }], "s1")).toBe(false);
    expect(stepLiveIn([{ type: "step.created", step: step("s2"), seq: 1 }], "s1")).toBe(false);
  });
});
