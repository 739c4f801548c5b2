import { describe, expect, test } from "vitest";
import { takeRunStarts } from "./run-limit";

const WINDOW = 60_000;

describe("takeRunStarts", () => {
  test("up to the limit in a window, then refused until the oldest start leaves it", () => {
    let starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = takeRunStarts({ starts, now: 1_000 + i * 1_000, count: 1, limit: 3, windowMs: WINDOW });
      expect(result.allowed).toBe(true);
      starts = result.starts;
    }
    const refused = takeRunStarts({ starts, now: 10_000, count: 1, limit: 3, windowMs: WINDOW });
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 51 });
    expect(refused.starts).toEqual(starts);
    expect(takeRunStarts({ starts, now: 61_001, count: 1, limit: 3, windowMs: WINDOW }).allowed).toBe(true);
  });

  test("several at once (a comparison) count as several, and wait for enough to leave", () => {
    const starts = [0, 10_000];
    const refused = takeRunStarts({ starts, now: 20_000, count: 3, limit: 4, windowMs: WINDOW });
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 40 });
    const later = takeRunStarts({ starts, now: 60_500, count: 3, limit: 4, windowMs: WINDOW });
    expect(later.allowed).toBe(true);
    expect(later.starts).toEqual([10_000, 60_500, 60_500, 60_500]);
  });

  test("never asks to wait less than a second", () => {
    const result = takeRunStarts({ starts: [0], now: 59_999, count: 1, limit: 1, windowMs: WINDOW });
    expect(result.retryAfterSeconds).toBe(1);
  });
});
