import { metrics } from "@/lib/metrics";
import type { StepNode } from "@/lib/steps/types";
import type { SessionBus } from "./bus";
import type { SessionEvent, SessionSnapshot, SessionStreamMessage } from "./events";

/**
 * One viewer's Server-Sent Events stream of a session: a snapshot (or, on a reconnect
 * that the replay buffer can serve, only the missed events), then the live tail. Events
 * published in the same tick are coalesced into one write.
 */

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

export function formatSseMessage(message: SessionStreamMessage): string {
  return `id: ${message.seq}\ndata: ${JSON.stringify(message)}\n\n`;
}

export function openSessionStream({
  bus,
  sessionId,
  after,
  loadSnapshot,
  signal,
}: {
  bus: SessionBus;
  sessionId: string;
  after: number | null;
  loadSnapshot: () => Promise<Omit<SessionSnapshot, "type" | "seq">>;
  signal: AbortSignal;
}): ReadableStream<Uint8Array> {
  let unsubscribe = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const release = () => {
    if (closed) return false;
    closed = true;
    metrics.sseConnections -= 1;
    unsubscribe();
    clearInterval(heartbeat);
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
        buffer += formatSseMessage(message);
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

      const early: SessionEvent[] = [];
      let live = false;
      unsubscribe = bus.subscribe(sessionId, (event) => (live ? send(event) : early.push(event)));

      const missed = after === null ? null : bus.eventsAfter(sessionId, after);
      if (missed) {
        for (const event of missed) send(event);
      } else {
        // Events published while the snapshot loads are replayed after it; the client
        // applies them idempotently (deltas carry their offset).
        const seq = bus.currentSeq(sessionId);
        try {
          const snapshot = await loadSnapshot();
          send({ type: "snapshot", seq, ...snapshot });
        } catch (error) {
          console.error(`[events ${sessionId}] snapshot failed`, error);
          close();
          return;
        }
        for (const event of early) if (event.seq > seq) send(event);
      }
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

/** Steps still streaming are fresher in memory than in their last database flush. */
export function overlayLiveSteps<T extends { steps: StepNode[] }>(tree: T, live: readonly StepNode[]): T {
  if (live.length === 0) return tree;
  const fresh = new Map(live.map((step) => [step.id, step]));
  const steps = tree.steps.map((step) => {
    const newer = fresh.get(step.id);
    fresh.delete(step.id);
    return newer ?? step;
  });
  return { ...tree, steps: steps.concat([...fresh.values()]) };
}
