import { processState } from "@/lib/process-state";

/**
 * Sliding-window limits kept in this process's memory: run starts per user
 * (lib/auth/run-limit.ts), guest accounts per client address (lib/auth/guest-limit.ts).
 * Per instance: with several instances each allows the limit.
 */

/** The window every limit here counts in, in milliseconds: limits are "per minute". */
export const RATE_WINDOW_MS = 60_000;

/** Keys one limit keeps before the idle ones (nothing left in their window) are dropped. */
const SWEEP_AT = 10_000;

/**
 * A sliding window over one key's events (ms timestamps, oldest first): whether `count`
 * more may happen at `now` under `limit` per `windowMs`, the window to keep (older events
 * dropped, these added when allowed), and when refused, after how many whole seconds (at
 * least 1) enough of them have left the window.
 */
export function takeFromWindow({
  events,
  now,
  count,
  limit,
  windowMs,
}: {
  events: readonly number[];
  now: number;
  count: number;
  limit: number;
  windowMs: number;
}): { allowed: boolean; events: number[]; retryAfterSeconds: number } {
  const recent = events.filter((at) => at > now - windowMs);
  if (recent.length + count <= limit) {
    return { allowed: true, events: [...recent, ...Array<number>(count).fill(now)], retryAfterSeconds: 0 };
  }
  // The event that must leave the window before `count` more fit (all of them when count > limit).
  const blocking = recent[Math.min(recent.length - 1, Math.max(0, recent.length + count - limit - 1))] ?? now;
  return {
    allowed: false,
    events: recent,
    retryAfterSeconds: Math.max(1, Math.ceil((blocking + windowMs - now) / 1000)),
  };
}

/** Drops the keys whose events have all left the window (in place). */
export function sweepIdle(windows: Map<string, number[]>, now: number, windowMs: number): void {
  for (const [key, events] of windows) {
    if ((events.at(-1) ?? 0) <= now - windowMs) windows.delete(key);
  }
}

/**
 * Counts `count` events of `key` against the limit named `limit` (its own keys:
 * "runs", "guests"), at most `max` per RATE_WINDOW_MS: whether they are allowed, and when
 * refused, the Retry-After in seconds. A limit past SWEEP_AT keys forgets its idle ones,
 * so many clients each seen once don't grow it without end.
 */
export function countAgainstLimit({
  limit,
  key,
  max,
  count = 1,
  now = Date.now(),
}: {
  limit: string;
  key: string;
  max: number;
  count?: number;
  now?: number;
}): { allowed: boolean; retryAfterSeconds: number } {
  const state = processState();
  state.rateWindows ??= new Map();
  let windows = state.rateWindows.get(limit);
  if (!windows) {
    windows = new Map();
    state.rateWindows.set(limit, windows);
  }
  if (windows.size >= SWEEP_AT) sweepIdle(windows, now, RATE_WINDOW_MS);
  const result = takeFromWindow({ events: windows.get(key) ?? [], now, count, limit: max, windowMs: RATE_WINDOW_MS });
  windows.set(key, result.events);
  return { allowed: result.allowed, retryAfterSeconds: result.retryAfterSeconds };
}
