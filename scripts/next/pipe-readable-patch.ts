/**
 * A hook in Next.js's response pipe (node_modules/next/dist/server/pipe-readable.js and its
 * ESM copy, which the production build bundles into the route handlers), applied at install
 * (postinstall) like body-streams-patch.ts. Pure; the files are read and written by
 * patch-next.ts.
 *
 * Why: `next start` writes a route handler's Response body to Node's ServerResponse with
 * `readable.pipeTo(writable)`: per chunk a read promise, an async write, queue bookkeeping
 * and async_hooks' promise tracking. For a session's event stream that is most of the relay's
 * cost per delta besides the socket write itself (a CPU profile at 50 streaming runs, README
 * Performance: web streams and Next's pipe 10 %, async_hooks 10 % of the app's busy time). With
 * the hook, a body that carries a function under `Symbol.for(PIPE_KEY)` (lib/http/node-pipe.ts)
 * writes itself to the Node response (the event stream, lib/realtime/sse.ts); every other body
 * is piped as before, and where the patch is missing (a Next.js it doesn't know) the event
 * stream is piped the web-stream way and works the same.
 */
import { PIPE_KEY } from "../../lib/http/node-pipe";
import { type NextPatch, replaceOnce } from "./replace-once";

/** The start of `pipeToNodeResponse` in Next.js 16.4, in both copies (the ESM one is preceded by `export `). */
export const ORIGINAL = `async function pipeToNodeResponse(readable, res, waitUntilForEnd, clientComponentLoadTracker) {
    try {`;

const PATCHED = `async function pipeToNodeResponse(readable, res, waitUntilForEnd, clientComponentLoadTracker) {
    // Interleave (scripts/next/pipe-readable-patch.ts): a body that writes itself to the Node response does so
    const pipeItself = readable == null ? void 0 : readable[Symbol.for('${PIPE_KEY}')];
    if (typeof pipeItself === 'function') return pipeItself(res, waitUntilForEnd);
    try {`;

/** Adds the hook to the text of a pipe-readable.js, once. */
export function patchPipeReadable(source: string): NextPatch {
  return replaceOnce(source, ORIGINAL, PATCHED);
}
