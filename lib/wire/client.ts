/**
 * The browser's API client's core: `apiFetch`, which resolves to the response body the
 * route documents or rejects with an `ApiError` carrying the server's
 * `{ error: { code, message } }` (lib/wire/errors.ts) — or "unavailable:network" when the
 * server can't be reached — and `withShare` for a share link's viewer. The typed call for
 * each route the pages use is in ./api.ts.
 */

import { isErrorBody } from "./errors";

/** A failed API call, with the server's code and a message meant for the person. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The message to show for a failed call: the server's, or `fallback` for anything that is not an ApiError. */
export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** One request: `json` is sent as a JSON body; a 204 resolves to null. */
export async function apiFetch<T>(url: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  let response: Response;
  try {
    response = await fetch(url, {
      ...rest,
      headers: { ...(json === undefined ? {} : { "content-type": "application/json" }), ...rest.headers },
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  } catch {
    throw new ApiError("unavailable:network", "Can't reach the server. Check your connection and try again.", 0);
  }
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiError(body.error.code, body.error.message, response.status);
    throw new ApiError("internal:unknown", `The server answered ${response.status}.`, response.status);
  }
  return body as T;
}

/** The query parameter a share viewer's requests carry the link's token in (lib/http/caller.ts SHARE_QUERY). */
export const SHARE_PARAM = "share";

/**
 * `url` as a share link's viewer asks for it: with the link's token in `?share=` (an
 * EventSource can't send a header); unchanged for everyone else (`share` null).
 */
export function withShare(url: string, share: string | null): string {
  if (!share) return url;
  return `${url}${url.includes("?") ? "&" : "?"}${SHARE_PARAM}=${encodeURIComponent(share)}`;
}
