import { setMaxListeners } from "node:events";
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

/**
 * `view`: what this viewer may see of each message (a share link: lib/realtime/share-view.ts),
 * null to leave it out; its sequence numbers still count as sent. `ended`: aborted with a
 * StreamEnded as its reason, the stream sends it and closes (a revoked share link or token).
 * A `session.deleted` event (on any instance, through the bus) ends the stream the same way,
 * with SESSION_DELETED.
 */
export function openSessionStream({
  bus,
  sessionId,
  after,
  loadSnapshot,
  signal,
  view,
  ended,
  onClose,
}: {
  bus: EventBus;
  sessionId: string;
  after: number | null;
  loadSnapshot: () => Promise<Omit<SessionSnapshot, "type" | "seq">>;
  signal: AbortSignal;
  view?: (message: SessionStreamMessage) => SessionStreamMessage | null;
  ended?: AbortSignal;
  /** called once when the stream closes, however it closes (the viewer left, the stream ended, the tail was lost) */
  onClose?: () => void;
}): ReadableStream<Uint8Array> {
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

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let buffer = "retry: 1000\n\n";
      let scheduled = false;
      const flush = () => {
        scheduled = false;
        if (closed || buffer === "") return;
        controller.enqueue(encoder.encode(buffer));
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
        if (release()) controller.close();
      };
      signal.addEventListener("abort", close, { once: true });
      metrics.sseConnections += 1;
      const closing = streamsClosing();
      const drain = () => {
        flush();
        close();
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

      const early: SessionEvent[] = [];
      let live = false;
      /** the newest seq this viewer has: nothing at or below it is sent again */
      let sent = 0;
      const sendNew = (event: SessionEvent) => {
        if (event.seq <= sent) return;
        sent = event.seq;
        send(event);
      };
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
    },
    cancel() {
      release();
    },
  });
}
