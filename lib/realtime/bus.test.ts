import { describe, expect, test } from "vitest";
import { SessionBus } from "./bus";

const delta = (text: string) => ({ type: "step.delta" as const, stepId: "s", offset: 0, text });

describe("SessionBus", () => {
  test("numbers events per session and delivers them synchronously", () => {
    const bus = new SessionBus();
    const seen: number[] = [];
    bus.subscribe("a", (event) => seen.push(event.seq));
    bus.publish("a", delta("1"));
    bus.publish("b", delta("x"));
    bus.publish("a", delta("2"));
    expect(seen).toEqual([1, 2]);
    expect(bus.currentSeq("a")).toBe(2);
    expect(bus.currentSeq("b")).toBe(1);
  });

  test("replays what a reconnecting viewer missed", () => {
    const bus = new SessionBus();
    for (const text of ["a", "b", "c"]) bus.publish("s", delta(text));
    expect(bus.eventsAfter("s", 1)?.map((e) => e.seq)).toEqual([2, 3]);
    expect(bus.eventsAfter("s", 3)).toEqual([]);
  });

  test("asks for a snapshot when it can't replay", () => {
    const bus = new SessionBus();
    expect(bus.eventsAfter("unknown", 0)).toBeNull();
    bus.publish("s", delta("a"));
    expect(bus.eventsAfter("s", 7)).toBeNull();
  });

  test("unsubscribe stops delivery", () => {
    const bus = new SessionBus();
    const seen: number[] = [];
    const stop = bus.subscribe("s", (event) => seen.push(event.seq));
    bus.publish("s", delta("a"));
    stop();
    bus.publish("s", delta("b"));
    expect(seen).toEqual([1]);
  });
});
