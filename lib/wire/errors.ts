/**
 * One error vocabulary for server and client: code = "<type>:<surface>". The type decides
 * the HTTP status; the message is written for a person. Every failed API call answers
 * `{ error: { code, message } }` (the server raises it as an AppError, lib/http/errors.ts).
 */

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limit: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorType = keyof typeof ERROR_STATUS;
export type ErrorCode = `${ErrorType}:${string}`;

/** The body of every failed API response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
}
