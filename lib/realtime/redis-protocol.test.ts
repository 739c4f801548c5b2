import { describe, expect, test } from "vitest";
import {
  channelEvents,
  entrySeq,
  exactEventsAfter,
  MARKER_STALE_S,
  markerAfterWrite,
  replayAfter,
  type StreamEntry,
  sessionKeys,
} from "./redis-protocol";

const entry = (seq: number): StreamEntry => [
  `${seq}-0`,
  ["e", JSON.stringify({ type: "step.delta", stepId: "s", offset: 0, text: String(seq), seq })],
];

describe("Redis bus protocol", () => {
  test("keys and channel of a session share its prefix", () => {
    expect(sessionKeys("p", "abc")).toEqual({
      counter: "p:n:abc",
      stream: "p:s:abc",
      unflushed: "p:u:abc",
      channel: "p:c:abc",
    });
  });

  test("a channel message is a batch of events in order, or one event", () => {
    const [a, b] = [entry(1), entry(2)].map((e) => e[1][1] as string);
    expect(channelEvents(`[${a},${b}]`)?.map((e) => e.seq)).toEqual([1, 2]);
    expect(channelEvents(a as string)?.map((e) => e.seq)).toEqual([1]);
    expect(channelEvents("{not json")).toBeNull();
  });

  test("stream entry ids are the sequence number", () => {
    expect(entrySeq("42-0")).toBe(42);
    expect(() => entrySeq("1700000000000-3")).toThrow(/unexpected/);
    expect(() => entrySeq("x")).toThrow();
  });

  test("resume returns the events after `after` only when none is missing", () => {
    expect(exactEventsAfter(3, 5, [entry(4), entry(5)])?.map((e) => e.seq)).toEqual([4, 5]);
    expect(exactEventsAfter(5, 5, [])).toEqual([]);
    // trimmed: the range starts later than after + 1
    expect(exactEventsAfter(3, 9, [entry(6), entry(7)])).toBeNull();
    expect(exactEventsAfter(3, 9, [])).toBeNull();
    // from an older numbering (the keys expired)
    expect(exactEventsAfter(12, 5, [])).toBeNull();
  });

  test("a snapshot replays from the oldest event a live instance has not written", () => {
    const now = 1_000_000;
    expect(replayAfter(50, now, [])).toBe(50);
    expect(replayAfter(50, now, [`40 ${now}`, `31 ${now - 1}`])).toBe(30);
    // a marker above the counter never moves the snapshot forward
    expect(replayAfter(50, now, [`60 ${now}`])).toBe(50);
    // an instance that died long ago doesn't make every snapshot replay forever
    expect(replayAfter(50, now, [`2 ${now - MARKER_STALE_S - 1}`, `45 ${now}`])).toBe(44);
    expect(replayAfter(50, now, ["garbage"])).toBe(50);
  });

  test("after a write, the marker clears, rises past what was confirmed at its start, or stays", () => {
    expect(markerAfterWrite({ issued: 5, acked: 9 }, { issued: 5, acked: 12 })).toBe("clear");
    expect(markerAfterWrite({ issued: 5, acked: 9 }, { issued: 7, acked: 14 })).toBe(10);
    expect(markerAfterWrite({ issued: 1, acked: 0 }, { issued: 2, acked: 3 })).toBeNull();
  });
});
