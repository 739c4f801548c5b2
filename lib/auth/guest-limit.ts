import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";
import { AppError } from "@/lib/http/errors";
import { countAgainstLimit } from "@/lib/http/rate-limit";

/**
 * Whether a request may make a guest account, checked by both ways to make one (GET
 * /api/auth/guest and better-auth's POST /api/auth/sign-in/anonymous): 403
 * `forbidden:guests` when guests are off (AUTH_GUESTS=false); past
 * GUEST_ACCOUNTS_PER_MINUTE from the request's client address (requests without one share
 * a single count), 429 `rate_limit:guests` with Retry-After in seconds. Per instance.
 */
export function assertGuestAllowed(request: Request): void {
  const { AUTH_GUESTS, GUEST_ACCOUNTS_PER_MINUTE: max } = env();
  if (!AUTH_GUESTS) {
    throw new AppError("forbidden:guests", "Guest accounts are off on this instance: sign up or sign in.");
  }
  const result = countAgainstLimit({ limit: "guests", key: clientAddress(request.headers) ?? "unknown", max });
  if (result.allowed) return;
  throw new AppError(
    "rate_limit:guests",
    `${max} guest accounts were made from your address in the last minute, the most allowed. Try again in ${result.retryAfterSeconds} s, or sign in.`,
    { retryAfterSeconds: result.retryAfterSeconds, limit: max },
    { "Retry-After": String(result.retryAfterSeconds) },
  );
}
