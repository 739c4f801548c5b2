/**
 * One error type for everything that can go wrong talking to MiniMax, with a sentence a
 * person can act on. Parsed from MiniMax's error envelope (minimax-wire §7).
 */

import { record, stringOrEmpty } from "./json";

export type ModelCallErrorCode =
  | "auth"
  | "payment"
  | "bad_request"
  | "rate_limit"
  | "overloaded"
  | "server"
  | "content_filter"
  | "dropped"
  | "stalled"
  | "malformed"
  | "network"
  /** the response finished without a single content block: nothing to show or run */
  | "empty"
  | "upstream";

export class ModelCallError extends Error {
  readonly code: ModelCallErrorCode;
  readonly status?: number;

  constructor(args: { code: ModelCallErrorCode; message: string; status?: number; cause?: unknown }) {
    super(args.message, args.cause === undefined ? undefined : { cause: args.cause });
    this.name = "ModelCallError";
    this.code = args.code;
    if (args.status !== undefined) this.status = args.status;
  }
}

/** What MiniMax said about a failure, from whichever envelope it used. */
export interface UpstreamFailure {
  status?: number;
  errorType?: string;
  providerCode?: number;
  detail?: string;
}

const CODE_BY_ERROR_TYPE: Record<string, ModelCallErrorCode> = {
  authorized_error: "auth",
  authentication_error: "auth",
  permission_error: "auth",
  bad_request_error: "bad_request",
  invalid_request_error: "bad_request",
  insufficient_balance_error: "payment",
  unprocessable_entity_error: "content_filter",
  rate_limit_error: "rate_limit",
  overloaded_error: "overloaded",
  server_error: "server",
  api_error: "server",
};

/**
 * MiniMax's own codes that name the problem exactly (platform.minimax.io error code table,
 * minimax-wire §7). They win over the HTTP status and the error type: "insufficient balance
 * (1008)" has been seen with HTTP 500 `api_error`, and it is still a payment problem.
 */
const CODE_BY_PROVIDER_CODE: Record<number, ModelCallErrorCode> = {
  1002: "rate_limit",
  1004: "auth",
  1008: "payment",
  1026: "content_filter",
  1027: "content_filter",
  1039: "rate_limit",
  1041: "rate_limit",
  1042: "bad_request",
  2013: "bad_request",
  2045: "rate_limit",
  2049: "auth",
  2056: "rate_limit",
};

/** Codes that only say "something failed on MiniMax's side": a more specific status or type wins. */
const GENERIC_PROVIDER_CODES: Record<number, ModelCallErrorCode> = {
  1000: "server",
  1001: "server",
  1024: "server",
  1033: "server",
};

/** Error types too vague to beat the HTTP status (a 529 `api_error` is an overload). */
const GENERIC_ERROR_TYPES = new Set(["api_error", "server_error"]);

function codeForStatus(status: number): ModelCallErrorCode | undefined {
  if (status === 401 || status === 403) return "auth";
  if (status === 402) return "payment";
  if (status === 400 || status === 404 || status === 413) return "bad_request";
  if (status === 422) return "content_filter";
  if (status === 429) return "rate_limit";
  if (status === 529 || status === 503) return "overloaded";
  if (status >= 500) return "server";
  return undefined;
}

/**
 * MiniMax's specific code first, then a specific error type, then the HTTP status, then
 * the generic type or code. Exported for its table-driven test.
 */
export function classify(failure: UpstreamFailure): ModelCallErrorCode {
  const { status, errorType, providerCode } = failure;
  const specificType = errorType && !GENERIC_ERROR_TYPES.has(errorType) ? CODE_BY_ERROR_TYPE[errorType] : undefined;
  return (
    (providerCode !== undefined ? CODE_BY_PROVIDER_CODE[providerCode] : undefined) ??
    specificType ??
    (status !== undefined && status !== 200 ? codeForStatus(status) : undefined) ??
    (errorType ? CODE_BY_ERROR_TYPE[errorType] : undefined) ??
    (providerCode !== undefined ? GENERIC_PROVIDER_CODES[providerCode] : undefined) ??
    "upstream"
  );
}

function sentenceFor(code: ModelCallErrorCode, failure: UpstreamFailure): string {
  const ref = [failure.status, failure.providerCode !== undefined ? `code ${failure.providerCode}` : undefined]
    .filter((x) => x !== undefined)
    .join(", ");
  const tag = ref ? ` (${ref})` : "";
  const detail = failure.detail ? `: ${withFullStop(failure.detail)}` : ".";
  switch (code) {
    case "auth":
      return `MiniMax rejected the API key${tag}. Check MINIMAX_API_KEY (keys are region-specific: api.minimax.io vs api.minimaxi.com).`;
    case "payment":
      return `MiniMax says the account balance is insufficient${tag}. This is a billing problem, not a fault: top up the balance of the account the API key belongs to (MiniMax platform → Billing), or pick another model, then Retry.`;
    case "bad_request":
      return `MiniMax rejected the request as invalid${tag}${detail}`;
    case "content_filter":
      return `MiniMax refused the content as sensitive${tag}${detail}`;
    case "rate_limit":
      return `MiniMax rate limit reached${tag}${detail} Wait a moment and try again.`;
    case "overloaded":
      return `MiniMax is overloaded right now${tag}. Try again in a little while.`;
    case "server":
      return `MiniMax had an internal error${tag}${detail} Try again.`;
    default:
      return `MiniMax returned an error${tag}${detail}`;
  }
}

/** MiniMax's own messages end without punctuation; ours follow them as new sentences. */
function withFullStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function failureError(failure: UpstreamFailure): ModelCallError {
  const code = classify(failure);
  return new ModelCallError({
    code,
    message: sentenceFor(code, failure),
    ...(failure.status !== undefined && { status: failure.status }),
  });
}

/** MiniMax puts its own code in parentheses at the end of the message: "rate limit, please retry later (1002)". */
function splitProviderCode(message: string): { detail: string; providerCode?: number } {
  const match = /\s*\((\d{3,5})\)\s*$/.exec(message);
  if (!match?.[1]) return { detail: message.trim() };
  return { detail: message.slice(0, match.index).trim(), providerCode: Number(match[1]) };
}

/** A non-zero `base_resp.status_code` means failure even on HTTP 200 (legacy envelope). */
export function baseRespError(payload: unknown, status?: number): ModelCallError | undefined {
  const baseResp = record(record(payload).base_resp);
  const statusCode = baseResp.status_code;
  if (typeof statusCode !== "number" || statusCode === 0) return undefined;
  const statusMsg = stringOrEmpty(baseResp.status_msg).trim();
  return failureError({ status, providerCode: statusCode, ...(statusMsg && { detail: statusMsg }) });
}

/**
 * An error object inside a payload: the current envelope `{type:"error", error:{type, message}}`
 * (HTTP body or Anthropic SSE `error` event) or the OpenAI style `{error:{message, code}}`.
 */
export function envelopeError(payload: unknown, status?: number): ModelCallError | undefined {
  const envelope = record(payload);
  if (typeof envelope.error !== "object" || envelope.error === null) return baseRespError(payload, status);
  const error = record(envelope.error);
  const { detail, providerCode } = splitProviderCode(stringOrEmpty(error.message));
  const httpCode = Number(error.http_code);
  const code = typeof error.code === "number" ? error.code : Number(error.code);
  return failureError({
    status: status ?? (Number.isFinite(httpCode) && httpCode > 0 ? httpCode : undefined),
    errorType: stringOrEmpty(error.type),
    providerCode: providerCode ?? (Number.isInteger(code) ? code : undefined),
    ...(detail && { detail }),
  });
}

/** An HTTP error response, whatever its body looks like. */
export function httpError(status: number, bodyText: string): ModelCallError {
  let payload: unknown;
  try {
    payload = JSON.parse(bodyText);
  } catch {
    const detail = bodyText.trim().slice(0, 200);
    return failureError({ status, ...(detail && { detail }) });
  }
  return envelopeError(payload, status) ?? failureError({ status });
}

export function droppedError(cause?: unknown): ModelCallError {
  return new ModelCallError({
    code: "dropped",
    message: "The connection to MiniMax ended before the reply was complete.",
    cause,
  });
}

export function stalledError(timeoutMs: number): ModelCallError {
  return new ModelCallError({
    code: "stalled",
    message: `MiniMax sent nothing for ${Math.round(timeoutMs / 1000)} s, so the request was abandoned.`,
  });
}

export function malformedError(what: string, cause?: unknown): ModelCallError {
  return new ModelCallError({ code: "malformed", message: `MiniMax sent something unreadable: ${what}.`, cause });
}

/** A response that finished cleanly but carried no thinking, text or tool call at all. */
export function emptyReplyError(): ModelCallError {
  return new ModelCallError({
    code: "empty",
    message: "The model returned nothing: no thinking, no text, no tool call. Retry to ask again.",
  });
}

export function networkError(url: string, cause: unknown): ModelCallError {
  const reason =
    cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
  return new ModelCallError({
    code: "network",
    message: `Could not reach MiniMax at ${new URL(url).host} (${reason}).`,
    cause,
  });
}
