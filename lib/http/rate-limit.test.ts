import { describe, expect, test } from "vitest";
import { countAgainstLimit, sweepIdle, takeFromWindow } from "./rate-limit";

const WINDOW = 60_000;

describe("takeFromWindow", () => {
  test("up to the limit in a window, then refused until the oldest start leaves it", () => {
    let starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = takeFromWindow({ events: starts, now: 1_000 + i * 1_000, count: 1, limit: 3, windowMs: WINDOW });
      expect(result.allowed).toBe(true);
      starts = result.events;
    }
    const refused = takeFromWindow({ events: starts, now: 10_000, count: 1, limit: 3, windowMs: WINDOW });
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 51 });
    expect(refused.events).toEqual(starts);
    expect(takeFromWindow({ events: starts, now: 61_001, count: 1, limit: 3, windowMs: WINDOW }).allowed).toBe(true);
  });

  test("several at once (a comparison) count as several, and wait for enough to leave", () => {
    const starts = [0, 10_000];
    const refused = takeFromWindow({ events: starts, now: 20_000, count: 3, limit: 4, windowMs: WINDOW });
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 40 });
    const later = takeFromWindow({ events: starts, now: 60_500, count: 3, limit: 4, windowMs: WINDOW });
    expect(later.allowed).toBe(true);
    expect(later.events).toEqual([10_000, 60_500, 60_500, 60_500]);
  });

  test("never asks to wait less than a second", () => {
    const result = takeFromWindow({ events: [0], now: 59_999, count: 1, limit: 1, windowMs: WINDOW });
    expect(result.retryAfterSeconds).toBe(1);
  });
});

describe("countAgainstLimit", () => {
  test("each limit and each key counts on its own", () => {
    const now = 5_000_000;
    const take = (limit: string, key: string) => countAgainstLimit({ limit, key, max: 1, now }).allowed;
    expect(take("test-a", "k1")).toBe(true);
    expect(take("test-a", "k1")).toBe(false);
    expect(take("test-a", "k2")).toBe(true);
    expect(take("test-b", "k1")).toBe(true);
    expect(countAgainstLimit({ limit: "test-a", key: "k1", max: 1, now: now + WINDOW })).toEqual({
      allowed: true,
      retryAfterSeconds: 0,
    });
  });
});

describe("sweepIdle", () => {
  test("forgets keys with nothing left in the window, keeps the others", () => {
    const windows = new Map([
      ["idle", [1_000, 2_000]],
      ["busy", [1_000, 70_000]],
    ]);
    sweepIdle(windows, 80_000, WINDOW);
    expect([...windows.keys()]).toEqual(["busy"]);
  });
});
