import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";

/**
 * How a request reaches MiniMax. The default goes through node:http(s) and hands the body
 * over as a Node stream: a streamed reply is read chunk by chunk for as long as a turn
 * lasts, and fetch's web-stream body costs about twice the CPU per chunk (measured on the
 * benchmark's 2-core machine). A fetch function (tests, custom clients) still works through
 * `fetchTransport`.
 */

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  /** lower-case names; repeated headers joined with ", " */
  headers: Record<string, string>;
  body: Readable;
}

export type Transport = (request: UpstreamRequest) => Promise<UpstreamResponse>;

// One connection pool per process, kept alive between the turns of a run.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export const nodeHttpTransport: Transport = (request) => post(request, true);

/**
 * One POST. A kept-alive connection can be closed by the server just as we reuse it; the
 * request then fails before any answer, so it never reached MiniMax and is sent once more
 * on a new connection (the retry Node's documentation recommends for `reusedSocket`).
 */
function post({ url, headers, body, signal }: UpstreamRequest, mayRetry: boolean): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === "https:";
    const send = secure ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent: secure ? agents.https : agents.http,
        signal,
      },
      (response) =>
        resolve({ status: response.statusCode ?? 0, headers: flattenHeaders(response.headers), body: response }),
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (mayRetry && request.reusedSocket && error.code === "ECONNRESET" && !signal.aborted) {
        resolve(post({ url, headers, body, signal }, false));
      } else {
        reject(error);
      }
    });
    request.end(body);
  });
}

export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async ({ url, headers, body, signal }) => {
    const response = await fetchImpl(url, { method: "POST", headers, body, signal });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: response.body ? Readable.fromWeb(response.body as NodeWebReadableStream<Uint8Array>) : Readable.from([]),
    };
  };
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/** The whole body as text. */
export async function readBodyText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
