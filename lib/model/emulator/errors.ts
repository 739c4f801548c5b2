import { isJson } from "@/lib/json";
import type { Route } from "./types";

/** An error as MiniMax reports it: real HTTP status, typed, MiniMax code at the end of the message. */
export interface ApiError {
  status: number;
  type: string;
  message: string;
}

/** minimax-wire.md §7, the current envelope (`http_code` is a string). */
export function errorBody(error: ApiError, requestId: string): object {
  return {
    type: "error",
    error: { type: error.type, message: error.message, http_code: String(error.status) },
    request_id: requestId,
  };
}

const badRequest = (detail: string): ApiError => ({
  status: 400,
  type: "bad_request_error",
  message: `invalid params, ${detail} (2013)`,
});

type ErrorKind = Omit<ApiError, "status">;
const BAD_REQUEST: ErrorKind = { type: "bad_request_error", message: "invalid params (2013)" };
const SERVER_ERROR: ErrorKind = { type: "server_error", message: "unknown error (1000)" };

const STATUS_ERRORS: Record<number, ErrorKind> = {
  400: BAD_REQUEST,
  401: {
    type: "authorized_error",
    message: "login fail: Please carry the API secret key in the 'Authorization' field of the request header (1004)",
  },
  402: { type: "insufficient_balance_error", message: "insufficient balance (1008)" },
  422: { type: "unprocessable_entity_error", message: "input new_sensitive (1026)" },
  429: { type: "rate_limit_error", message: "rate limit, please retry later (1002)" },
  500: SERVER_ERROR,
  // The overload code is undocumented; 1000 is MiniMax's generic "retry later".
  529: { type: "overloaded_error", message: "overloaded, please retry later (1000)" },
};

/**
 * The error a given HTTP status fault returns; statuses outside the table map by class.
 * With `code`, the message carries that MiniMax code instead, and a 5xx is the generic
 * `api_error`: how "insufficient balance (1008)" has been seen arriving with HTTP 500.
 */
export function errorForStatus(status: number, code?: number): ApiError {
  const kind = STATUS_ERRORS[status] ?? (status >= 500 ? SERVER_ERROR : BAD_REQUEST);
  if (code === undefined) return { status, ...kind };
  return {
    status,
    type: status >= 500 ? "api_error" : kind.type,
    message: `${BASE_RESP_MESSAGES[code] ?? "error"} (${code})`,
  };
}

const BASE_RESP_MESSAGES: Record<number, string> = {
  1000: "unknown error",
  1002: "rate limit",
  1004: "login fail: Please carry the API secret key in the 'Authorization' field of the request header",
  1008: "insufficient balance",
  1026: "input new_sensitive",
  1027: "output new_sensitive",
  1039: "token limit",
  2013: "invalid params",
  2049: "invalid api key",
};

/** The legacy failure: HTTP 200 whose `base_resp.status_code` is not 0. */
export function baseRespBody(code: number, message?: string): object {
  return { base_resp: { status_code: code, status_msg: message ?? BASE_RESP_MESSAGES[code] ?? "error" } };
}

/** `x-api-key` (Anthropic style) or `Authorization: Bearer` (both routes accept either). */
export function hasAuth(headers: Record<string, string>): boolean {
  return Boolean(headers["x-api-key"]?.trim()) || /^Bearer\s+\S+/i.test(headers.authorization ?? "");
}

/** OpenAI route: MiniMax parses replayed tool-call arguments and rejects invalid JSON. */
function invalidToolArguments(messages: unknown[]): string | null {
  for (const message of messages as { role?: unknown; tool_calls?: unknown }[]) {
    if (message?.role !== "assistant" || !Array.isArray(message.tool_calls)) continue;
    for (const call of message.tool_calls as { id?: unknown; function?: { arguments?: unknown } }[]) {
      const args = call?.function?.arguments;
      if (!isJson(typeof args === "string" ? args : "")) return String(call?.id ?? "");
    }
  }
  return null;
}

/** Checks a model request the way the hosted API does; null when it is acceptable. */
export function validateRequest(route: Route, headers: Record<string, string>, body: unknown): ApiError | null {
  if (!hasAuth(headers)) return errorForStatus(401);
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return badRequest("request body is not a JSON object");
  const b = body as Record<string, unknown>;
  if (typeof b.model !== "string" || b.model === "") return badRequest("model is required");
  if (!Array.isArray(b.messages) || b.messages.length === 0) return badRequest("messages is required");
  if (b.temperature !== undefined && (typeof b.temperature !== "number" || b.temperature <= 0 || b.temperature > 1)) {
    return badRequest("temperature must be in (0, 1]");
  }
  if (b.n !== undefined && b.n !== 1) return badRequest("n must be 1");
  if (route === "openai") {
    const badId = invalidToolArguments(b.messages);
    if (badId !== null) return badRequest(`invalid function arguments json string, tool_call_id: ${badId}`);
  }
  return null;
}
