import type { Caller } from "@/lib/auth/scopes";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { countAgainstLimit } from "@/lib/http/rate-limit";

/**
 * Counts `count` run starts against the caller's user (RUN_STARTS_PER_MINUTE, all their
 * workspaces and tokens together; a caller that is no user counts per workspace), or
 * refuses with 429 `rate_limit:runs` and Retry-After in seconds. Per instance: with
 * several instances each allows the limit.
 */
export function assertRunStartsAllowed(caller: Caller, count = 1): void {
  const max = env().RUN_STARTS_PER_MINUTE;
  const result = countAgainstLimit({
    limit: "runs",
    key: caller.userId ?? `workspace:${caller.workspaceId}`,
    max,
    count,
  });
  if (result.allowed) return;
  throw new AppError(
    "rate_limit:runs",
    `You started ${max} runs in the last minute, the most allowed. Try again in ${result.retryAfterSeconds} s.`,
    { retryAfterSeconds: result.retryAfterSeconds, limit: max },
    { "Retry-After": String(result.retryAfterSeconds) },
  );
}
