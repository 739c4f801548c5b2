import { setMaxListeners } from "node:events";
import type { ServerResponse } from "node:http";
import { type PipeToNodeResponse, withNodePipe } from "@/lib/http/node-pipe";
import { metrics } from "@/lib/metrics";
import { processState } from "@/lib/process-state";
import type { SessionEvent, SessionSnapshot, SessionStreamMessage } from "@/lib/wire/events";
import type { StreamEnded } from "@/lib/wire/shares";
import type { EventBus } from "./bus";

/**
 * One viewer's Server-Sent Events stream of a session: a snapshot (or, on a reconnect
 * that the bus can serve, only the missed events), then the live tail. Events published
 * in the same tick are coalesced into one write. With the Redis bus the snapshot is
 * followed by a replay of the events whose effect may not be in the database yet (another
 * instance's streaming steps); the viewer folds them idempotently. Every event goes out
 * once, in sequence order. If the bus loses the live tail, the stream ends and the
 * browser reconnects with the last id it got.
 */

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

export function formatSseMessage(message: SessionStreamMessage): string {
  return `id: ${message.seq}\ndata: ${JSON.stringify(message)}\n\n`;
}

/** The last message of a stream whose share link or token was revoked: `event: ended`, then the stream closes. */
export function formatEndedMessage(ended: StreamEnded): string {
  return `event: ended\ndata: ${JSON.stringify(ended)}\n\n`;
}

/** What every viewer of a session is told as its stream ends because the session was deleted. */
export const SESSION_DELETED: StreamEnded = {
  type: "ended",
  code: "deleted",
  message: "This session was deleted, so it no longer updates.",
};

/** The signal a graceful stop aborts to close this process's event streams (processState, shared by every route bundle). */
function streamsClosing(): AbortSignal {
  const state = processState();
  if (!state.eventStreamsClosing) {
    state.eventStreamsClosing = new AbortController();
    setMaxListeners(0, state.eventStreamsClosing.signal); // one listener per open stream
  }
  return state.eventStreamsClosing.signal;
}

/**
 * The server is stopping and its runs have ended (lib/agent/shutdown.ts): every event stream
 * of this process sends the events it holds (the runs' ends among them) and closes, and one
 * opened from now on closes at once; viewers reconnect (to the next server). Without it the
 * process exited with those events unsent: a viewer saw "Running · Reconnecting…" and the CLI
 * said "the run may still be going" for a run already recorded as failed.
 */
export function closeEventStreams(): void {
  streamsClosing();
  processState().eventStreamsClosing?.abort();
}

/** What a session stream needs: see `openSessionStream`. */
export interface SessionStreamOptions {
  bus: EventBus;
  sessionId: string;
  after: number | null;
  loadSnapshot: () => Promise<Omit<SessionSnapshot, "type" | "seq">>;
  signal: AbortSignal;
  view?: (message: SessionStreamMessage) => SessionStreamMessage | null;
  ended?: AbortSignal;
  /** called once when the stream closes, however it closes (the viewer left, the stream ended, the tail was lost) */
  onClose?: () => void;
}

/**
 * `view`: what this viewer may see of each message (a share link: lib/realtime/share-view.ts),
 * null to leave it out; its sequence numbers still count as sent. `ended`: aborted with a
 * StreamEnded as its reason, the stream sends it and closes (a revoked share link or token).
 * A `session.deleted` event (on any instance, through the bus) ends the stream the same way,
 * with SESSION_DELETED.
 *
 * On `next start` Next.js hands the stream its Node response (lib/http/node-pipe.ts): then
 * it writes there itself, each flush one `res.write`, with no web stream between (README
 * Performance); elsewhere it is read as a web stream.
 */
export function openSessionStream(options: SessionStreamOptions): ReadableStream<Uint8Array> {
  // The stream starts now, as before; what it sends waits here until its reader (the web
  // stream's first read, or the Node response) is known.
  let pending: string[] = [];
  let ended = false;
  let target: StreamSink | null = null;
  const stop = runSessionStream(
    {
      write(text) {
        if (target) target.write(text);
        else pending.push(text);
      },
      close() {
        if (target) target.close();
        else ended = true;
      },
    },
    options,
  );
  const attach = (sink: StreamSink) => {
    if (target) return;
    target = sink;
    for (const text of pending) sink.write(text);
    pending = [];
    if (ended) sink.close();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        attach({ write: (text) => controller.enqueue(encoder.encode(text)), close: () => controller.close() });
      },
      cancel: stop,
    },
    { highWaterMark: 0 },
  );
  const pipe: PipeToNodeResponse = (res, waitUntil) => pipeToResponse(res, waitUntil, attach, stop);
  return withNodePipe(stream, pipe);
}

/**
 * The stream written straight to Node's response: one `res.write` of text per flush, no web
 * stream between (README Performance). The response ends when the stream does (after Next's
 * `waitUntil`, as its own pipe does); the viewer hanging up stops the stream.
 */
function pipeToResponse(
  res: ServerResponse,
  waitUntil: Promise<unknown> | undefined,
  attach: (sink: StreamSink) => void,
  stop: () => void,
): Promise<void> {
  if (res.errored || res.destroyed) {
    stop();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    res.once("close", () => {
      stop();
      resolve();
    });
    const writeChunk = chunkWriter(res);
    // A viewer that stops reading is cut off once what waits for it (the response's and its
    // socket's buffers) is MAX_BACKLOG past the largest single piece (a big snapshot goes out
    // whole); it reconnects from its last event like any dropped viewer.
    let largest = 0;
    attach({
      write(text) {
        if (res.writableEnded || res.destroyed) return;
        if (text.length > largest) largest = text.length;
        if (res.writableLength > largest + MAX_BACKLOG) {
          res.destroy();
          return;
        }
        writeChunk(text);
      },
      close() {
        void Promise.resolve(waitUntil)
          .catch(() => {})
          .then(() => res.end());
      },
    });
  });
}

/**
 * Sends the response's headers and answers how to write one piece of its body. Where the
 * body is plain HTTP/1.1 chunked encoding on a socket of its own (always, for the event
 * stream's GET on `next start`), each piece is framed here (RFC 9112 §7.1: size in hex, CRLF,
 * data, CRLF) and written to the socket at once: `res.write` would cork the socket until the
 * next tick and write the frame as four buffers, about a third of a write's CPU (README
 * Performance). Elsewhere (HEAD, HTTP/1.0, a compressed or length-delimited body, a response
 * queued behind a pipelined one) it is `res.write`, flushing a compressor.
 * `res.end()` still writes the last chunk, so keep-alive and the framing's end are Node's.
 */
export function chunkWriter(res: ServerResponse): (text: string) => void {
  const plain =
    res.req?.method === "GET" &&
    res.req.httpVersion === "1.1" &&
    !res.hasHeader("content-length") &&
    !res.hasHeader("transfer-encoding");
  if (plain) res.setHeader("transfer-encoding", "chunked");
  res.flushHeaders();
  // a compressor decides as the headers go (Next.js's `compress`); a response waiting
  // behind an earlier one on its connection (HTTP pipelining) has no socket yet
  const socket = res.socket;
  if (plain && !res.hasHeader("content-encoding") && socket) {
    return (text) => {
      socket.write(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
    };
  }
  const flushCompression = (res as ServerResponse & { flush?: () => void }).flush;
  return (text) => {
    res.write(text);
    flushCompression?.call(res);
  };
}

/** How far (bytes waiting in its response, past the largest piece) a viewer may fall behind before it is cut off. */
const MAX_BACKLOG = 8 * 1024 * 1024;

/** Where a stream's text goes: the web stream's queue, or the Node response. */
interface StreamSink {
  write(text: string): void;
  close(): void;
}

/** Starts the stream into `sink`; returns what stops it (the viewer left), idempotent. */
function runSessionStream(
  sink: StreamSink,
  { bus, sessionId, after, loadSnapshot, signal, view, ended, onClose }: SessionStreamOptions,
): () => void {
  let unsubscribe = () => {};
  let stopDraining = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const release = () => {
    if (closed) return false;
    closed = true;
    metrics.sseConnections -= 1;
    unsubscribe();
    stopDraining();
    clearInterval(heartbeat);
    onClose?.();
    return true;
  };
  void (async () => {
    let buffer = "retry: 1000\n\n";
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (closed || buffer === "") return;
      sink.write(buffer);
      buffer = "";
    };
    const send = (message: SessionStreamMessage) => {
      if (message.type === "session.deleted") return finish(SESSION_DELETED);
      const shown = view ? view(message) : message;
      if (!shown) return;
      buffer += formatSseMessage(shown);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    };
    const close = () => {
      if (release()) sink.close();
    };
    signal.addEventListener("abort", close, { once: true });
    metrics.sseConnections += 1;
    const early: SessionEvent[] = [];
    let live = false;
    /** the newest seq this viewer has: nothing at or below it is sent again */
    let sent = 0;
    const sendNew = (event: SessionEvent) => {
      if (event.seq <= sent) return;
      sent = event.seq;
      send(event);
    };
    const closing = streamsClosing();
    const drain = () => {
      if (!live) {
        flush();
        close();
        return;
      }
      // What was published just before (the runs' ends) may still be on its way back to this
      // instance's followers (the Redis bus): take it from what the bus holds, then close.
      void Promise.resolve()
        .then(() => bus.eventsHeldAfter(sessionId, sent))
        .then(
          (events) => {
            for (const event of events) sendNew(event);
          },
          () => {},
        )
        .finally(() => {
          flush();
          close();
        });
    };
    if (closing.aborted) {
      drain();
      return;
    }
    closing.addEventListener("abort", drain, { once: true });
    stopDraining = () => closing.removeEventListener("abort", drain);
    function finish(last: StreamEnded) {
      if (closed) return;
      buffer += formatEndedMessage(last);
      flush();
      close();
    }
    const end = () => finish(ended?.reason as StreamEnded);
    if (ended?.aborted) {
      end();
      return;
    }
    ended?.addEventListener("abort", end, { once: true });

    const following = bus.follow(
      sessionId,
      (event) => (live ? sendNew(event) : early.push(event)),
      (reason) => {
        console.error(`[events ${sessionId}] live tail lost: ${reason}`);
        close();
      },
    );
    unsubscribe = following.stop;

    try {
      if (following.ready) await following.ready;
      const missed = after === null ? null : await bus.eventsAfter(sessionId, after);
      if (missed && after !== null) {
        sent = after;
        for (const event of missed) sendNew(event);
      } else {
        // Events published while the snapshot loads are replayed after it; the client
        // applies them idempotently (deltas carry their offset).
        const point = await bus.snapshotPoint(sessionId);
        const snapshot = await loadSnapshot();
        send({ type: "snapshot", seq: point.seq, ...snapshot });
        sent = point.replayAfter;
        if (point.replayAfter < point.seq) {
          for (const event of await bus.eventsHeldAfter(sessionId, point.replayAfter)) sendNew(event);
        }
        sent = Math.max(sent, point.seq);
      }
    } catch (error) {
      console.error(`[events ${sessionId}] snapshot failed`, error);
      close();
      return;
    }
    for (const event of early) sendNew(event);
    live = true;
    if (closed) return;
    heartbeat = setInterval(() => {
      buffer += ": ping\n\n";
      flush();
    }, HEARTBEAT_MS);
  })();
  return () => void release();
}
