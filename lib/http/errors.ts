/**
 * The server's side of the error vocabulary (lib/wire/errors.ts): an AppError carries a
 * code and a message for a person, and becomes the `{ error: { code, message } }` response.
 */
import { ERROR_STATUS, type ErrorBody, type ErrorCode, type ErrorType } from "@/lib/wire/errors";

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** response headers that go with it, such as a 429's Retry-After (seconds) */
  readonly headers?: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, details?: unknown, headers?: Readonly<Record<string, string>>) {
    super(message);
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code.split(":")[0] as ErrorType] ?? 500;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }

  toResponse(): Response {
    return Response.json(this.toBody(), { status: this.status, headers: this.headers });
  }
}

/**
 * Whether `value` is an AppError, judged by its shape (an Error whose `code` is
 * "<type>:<surface>" with a known type, and which can answer as a response), not by
 * `instanceof`: Next.js loads this module once per route bundle and once more for the
 * instrumentation hook, and each copy has its own AppError class.
 */
export function isAppError(value: unknown): value is AppError {
  if (!(value instanceof Error)) return false;
  const { code, toResponse } = value as { code?: unknown; toResponse?: unknown };
  if (typeof code !== "string" || typeof toResponse !== "function") return false;
  const colon = code.indexOf(":");
  return colon > 0 && Object.hasOwn(ERROR_STATUS, code.slice(0, colon));
}
