import type { ServerResponse } from "node:http";

/**
 * A response body that writes itself to Node's ServerResponse on `next start`, past Next.js's
 * web-stream pipe. Next.js's `pipeToNodeResponse` is patched at install to call the function a
 * body carries under `Symbol.for(PIPE_KEY)` (scripts/next/pipe-readable-patch.ts); a body
 * without one, or a Next.js without the patch, is piped the usual way, so such a body must
 * still be a working ReadableStream.
 */
export const PIPE_KEY = "interleave.pipeToNodeResponse";

/**
 * The function a body carries: `res` is the request's ServerResponse with status and headers
 * set; `waitUntil` is what Next.js waits for before ending a response (after() callbacks).
 * Resolves once the response has closed.
 */
export type PipeToNodeResponse = (res: ServerResponse, waitUntil?: Promise<unknown>) => Promise<void>;

/** `body`, carrying `pipe` as its own way to the Node response. */
export function withNodePipe<T extends object>(body: T, pipe: PipeToNodeResponse): T {
  Object.defineProperty(body, Symbol.for(PIPE_KEY), { value: pipe });
  return body;
}
