import { describe, expect, test } from "vitest";
import { IDLE_MS, numberingOrigin, SessionBus } from "./bus";

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

describe("idle channels", () => {
  test("a channel nobody follows is dropped after IDLE_MS; numbering goes on and a replay asks for a snapshot", () => {
    let now = 0;
    const bus = new SessionBus(() => now);
    const stop = bus.subscribe("s", () => {});
    for (const text of ["a", "b", "c"]) bus.publish("s", delta(text));
    now += IDLE_MS * 2;
    bus.dropIdle();
    expect(bus.eventsAfter("s", 1)?.length).toBe(2); // followed: kept

    stop();
    now += IDLE_MS - 1;
    bus.dropIdle();
    expect(bus.eventsAfter("s", 1)?.length).toBe(2); // not idle long enough
    now += 2;
    bus.dropIdle();
    expect(bus.eventsAfter("s", 1)).toBeNull();
    expect(bus.currentSeq("s")).toBe(3);
    expect(bus.publish("s", delta("d")).seq).toBe(4);
    expect(bus.eventsAfter("s", 1)).toBeNull(); // events 2 and 3 are gone: snapshot
    expect(bus.eventsAfter("s", 3)?.map((event) => event.seq)).toEqual([4]);
  });

  test("a restarted server numbers above the one before it: a viewer reconnecting with an old id gets a snapshot, never a replay from the new numbering", () => {
    const before = new SessionBus(() => 0, numberingOrigin(1_764_000_000_000));
    for (let i = 0; i < 3; i++) before.publish("s", delta("old"));
    const lastSeen = before.currentSeq("s");
    // the server restarts a minute later; the resumed run sends more events than the viewer's id counts
    const after = new SessionBus(() => 0, numberingOrigin(1_764_000_060_000));
    for (let i = 0; i < 5; i++) after.publish("s", delta("new"));
    expect(after.currentSeq("s")).toBeGreaterThan(lastSeen);
    expect(after.eventsAfter("s", lastSeen)).toBeNull();
    expect(after.eventsHeldAfter("s", lastSeen)).toHaveLength(5);
  });

  test("a long-lived process remembers at most DROPPED_LIMIT dropped sessions; one it forgot numbers above its old events, so an old id gets a snapshot", () => {
    let now = 0;
    const bus = new SessionBus(() => now, 0, 2);
    const publish = (sessionId: string, count: number) => {
      for (let i = 0; i < count; i++) bus.publish(sessionId, delta("x"));
      return bus.currentSeq(sessionId);
    };
    publish("a", 5);
    publish("b", 2);
    publish("c", 1);
    now += IDLE_MS + 1;
    bus.dropIdle();
    let last = 0;
    for (let i = 0; i < 100; i++) {
      last = publish(`s${i}`, 1);
      now += IDLE_MS + 1;
      bus.dropIdle();
    }
    // biome-ignore lint/complexity/useLiteralKeys: the bound is on a private map, read past TypeScript's privacy
    expect(bus["droppedSeq"].size).toBe(2);
    // b was forgotten: it goes on above every number a forgotten session reached (a's 5 at least)
    const resumed = bus.currentSeq("b");
    expect(resumed).toBeGreaterThanOrEqual(5);
    expect(bus.publish("b", delta("y")).seq).toBe(resumed + 1);
    expect(bus.eventsAfter("b", 2)).toBeNull(); // its viewer's old id: a snapshot, never a replay
    // the sessions dropped last are remembered exactly
    expect(bus.currentSeq("s99")).toBe(last);
    expect(bus.publish("s99", delta("y")).seq).toBe(last + 1);
    expect(bus.eventsAfter("s99", last)?.map((event) => event.seq)).toEqual([last + 1]);
  });

  test("the origin stays an exact integer for centuries", () => {
    expect(Number.isSafeInteger(numberingOrigin(Date.UTC(2255, 0, 1)) + 1_000_000)).toBe(true);
  });
});
