import { type NextPatch, replaceOnce } from "./replace-once";
/**
 * A fix to Next.js's request-body copy for proxy.ts (node_modules/next/dist/server/body-streams.js),
 * applied at install (postinstall) until Next.js carries one. Pure; the file is read and
 * written by patch-next.ts.
 *
 * Why: for every request with a body, Next.js tees the body for the proxy and, once the proxy
 * has run, puts every method of a plain `Readable` holding the copy onto the request
 * (`replaceRequestBody`), `destroy` and `emit` included. When the proxy answers by itself (the
 * 403, 405, 413 and 415 refusals in lib/http/guard.ts) nothing listens on that stream; a
 * client that hangs up before the answer is written (a browser dropping a no-cors POST it won't
 * show, a DNS-rebinding page) makes Node's server destroy the request with `Error: aborted`, the
 * copy emits it as 'error' with no listener, and `next start` logs an uncaughtException per
 * request. Node's own request (IncomingMessage) emits that error only to listeners; the patch
 * gives the copy the same rule, so a route that reads the body still hears of the hang-up.
 */

/** the code Next.js 16.4 has, which the patch replaces */
export const ORIGINAL = `            const p2 = new _stream.Readable({
                read () {}
            });`;

const PATCHED = `            const p2 = new _stream.Readable({
                read () {},
                // Interleave (scripts/next/body-streams-patch.ts): like IncomingMessage, emit a
                // hang-up's error only to listeners, not as an uncaught exception
                destroy (error, callback) {
                    callback(this.listenerCount('error') === 0 ? null : error);
                }
            });`;

/** Applies the fix to the text of body-streams.js, once. */
export function patchBodyStreams(source: string): NextPatch {
  return replaceOnce(source, ORIGINAL, PATCHED);
}
