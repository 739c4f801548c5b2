import type { Caller } from "@/lib/auth/scopes";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { processState } from "@/lib/process-state";

/** The window RUN_STARTS_PER_MINUTE counts in, in milliseconds. */
export const RUN_LIMIT_WINDOW_MS = 60_000;

/**
 * A sliding window over one user's run starts (ms timestamps, oldest first): whether
 * `count` more may start at `now` under `limit` per `windowMs`, the window to keep
 * (older starts dropped, these added when allowed), and when allowed, after how many
 * whole seconds (at least 1) enough of them have left the window.
 */
export function takeRunStarts({
  starts,
  now,
  count,
  limit,
  windowMs,
}: {
  starts: readonly number[];
  now: number;
  count: number;
  limit: number;
  windowMs: number;
}): { allowed: boolean; starts: number[]; retryAfterSeconds: number } {
  const recent = starts.filter((at) => at > now - windowMs);
  if (recent.length + count <= limit) {
    return { allowed: true, starts: [...recent, ...Array<number>(count).fill(now)], retryAfterSeconds: 0 };
  }
  // The start that must leave the window before `count` more fit (all of them when count > limit).
  const blocking = recent[Math.min(recent.length - 1, Math.max(0, recent.length + count - limit - 1))] ?? now;
  return {
    allowed: false,
    starts: recent,
    retryAfterSeconds: Math.max(1, Math.ceil((blocking + windowMs - now) / 1000)),
  };
}

/**
 * Counts `count` run starts against the caller's user (RUN_STARTS_PER_MINUTE, all their
 * workspaces and tokens together; a caller that is no user counts per workspace), or
 * refuses with 429 `rate_limit:runs` and Retry-After in seconds. Per instance: with
 * several instances each allows the limit.
 */
export function assertRunStartsAllowed(caller: Caller, count = 1): void {
  const state = processState();
  state.runStarts ??= new Map();
  const key = caller.userId ?? `workspace:${caller.workspaceId}`;
  const limit = env().RUN_STARTS_PER_MINUTE;
  const result = takeRunStarts({
    starts: state.runStarts.get(key) ?? [],
    now: Date.now(),
    count,
    limit,
    windowMs: RUN_LIMIT_WINDOW_MS,
  });
  state.runStarts.set(key, result.starts);
  if (result.allowed) return;
  throw new AppError(
    "rate_limit:runs",
    `You started ${limit} runs in the last minute, the most allowed. Try again in ${result.retryAfterSeconds} s.`,
    { retryAfterSeconds: result.retryAfterSeconds, limit },
    { "Retry-After": String(result.retryAfterSeconds) },
  );
}
