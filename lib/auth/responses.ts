import { AppError } from "@/lib/http/errors";
import { ERROR_STATUS, type ErrorType } from "@/lib/wire/errors";

const TYPE_BY_STATUS = new Map<number, ErrorType>(
  Object.entries(ERROR_STATUS).map(([type, status]) => [status, type as ErrorType]),
);

/**
 * A better-auth response as the app answers: successes unchanged; an error (`{ code,
 * message }` or no body) becomes the app's `{ error: { code, message } }` with the same
 * status (422, which the app doesn't use, becomes 400), better-auth's own code kept in
 * `details.authCode`, and a 429's `X-Retry-After` as `Retry-After`.
 */
export async function authResponse(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const body = (await response.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
  const type = TYPE_BY_STATUS.get(response.status) ?? (response.status >= 500 ? "internal" : "bad_request");
  const message =
    typeof body?.message === "string" && body.message
      ? body.message
      : response.status === 404
        ? "There is no such account address. See docs/api.md."
        : "The account request failed.";
  const retryAfter = response.headers.get("x-retry-after") ?? response.headers.get("retry-after");
  return new AppError(
    `${type}:auth`,
    message.slice(0, 300),
    typeof body?.code === "string" ? { authCode: body.code } : undefined,
    retryAfter ? { "Retry-After": retryAfter } : undefined,
  ).toResponse();
}
