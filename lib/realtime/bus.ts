import type { StepRowQueue } from "@/lib/db/step-rows";
import { env } from "@/lib/env";
import { processState } from "@/lib/process-state";
import type { SessionEvent, SessionEventPayload } from "@/lib/wire/events";
import { RedisSessionBus } from "./redis-bus";

/**
 * How a session's events travel from whoever publishes them to every viewer. Two
 * implementations: `SessionBus` in process (one instance, the default) and
 * `RedisSessionBus` (REDIS_URL set: any number of instances share one numbering).
 */
export interface EventBus {
  /**
   * Number the event and deliver it to every follower of the session. Never throws: if
   * the event can't be delivered (Redis down) it is dropped and followers reconnect.
   * `unflushed`: the event's effect reaches the database only with the step row queue's
   * next write (StepWriter's events), so a snapshot elsewhere must replay it.
   */
  publish(sessionId: string, payload: SessionEventPayload, options?: { unflushed?: boolean }): void;
  /** Resolves once what was published so far has been handed on (Redis: stored and sent); a stopping server waits for it. */
  flush(): Promise<void>;
  /**
   * Follow a session's live events, in sequence order. `ready` resolves once no event
   * published afterwards can be missed; `onLost` is called (at most once) if delivery
   * broke and the follower must resume with `eventsAfter`.
   */
  follow(sessionId: string, onEvent: (event: SessionEvent) => void, onLost: (reason: string) => void): Following;
  /** Every event after `seq`, or null when they are no longer all held (the viewer needs a snapshot). */
  eventsAfter(sessionId: string, seq: number): SessionEvent[] | null | Promise<SessionEvent[] | null>;
  /**
   * Where a new snapshot starts: `seq` = the sequence number it is as of (read before the
   * database); `replayAfter` ≤ `seq`: events after it may not be in the database yet and
   * are replayed after the snapshot (the viewer's fold is idempotent for them).
   */
  snapshotPoint(sessionId: string): SnapshotPoint | Promise<SnapshotPoint>;
  /** The events after `seq` still held (maybe not all of them: the oldest may be trimmed). */
  eventsHeldAfter(sessionId: string, seq: number): SessionEvent[] | Promise<SessionEvent[]>;
  /** Watch a step row queue's writes (to know which events the database holds). */
  watchStepWrites(queue: StepRowQueue): void;
  /** Ask whichever instance executes `runId` to stop it now (its row already says so). */
  requestStop(runId: string): void;
  /** Call `handler` with each run id some instance asked to stop (any instance, this one too). */
  onStopRequest(handler: (runId: string) => void): void;
  /**
   * Tell every instance (this one too) that a share link or API token stopped working
   * (revoked, re-minted): they drop it from their caller cache and end its open streams.
   */
  announceRevoked(credentialId: string): void;
  /** Call `handler` with each credential id some instance announced as revoked (any instance, this one too). */
  onRevoked(handler: (credentialId: string) => void): () => void;
}

export interface Following {
  ready: Promise<void> | null;
  stop(): void;
}

export interface SnapshotPoint {
  seq: number;
  replayAfter: number;
}

/**
 * The per-session event channel, in process. Publishing numbers the event, keeps it in
 * a short replay buffer (for reconnects) and hands it to every subscriber synchronously:
 * no stream-transform chain per viewer, so a delta reaches the SSE writers in the same tick.
 * A channel nobody has followed or published to for IDLE_MS is dropped with its buffer;
 * its sequence number is remembered, so numbering never restarts and a viewer that comes
 * back later gets a fresh snapshot instead of a wrong replay. The DROPPED_LIMIT sessions
 * dropped last are remembered each by its number; older ones share one floor, the highest
 * number any of them reached, which a channel not remembered starts from: its numbers stay
 * above its old ones, and a long-lived process holds a bounded map. Across processes the same
 * holds through `origin` (numberingOrigin): a restarted server numbers every session's
 * events above anything the one before it sent.
 */

const REPLAY_LIMIT = 5_000;

/**
 * The bus's clock for idle channels, read on every publish: `performance.now()` (ms),
 * because Next.js wraps `Date.now` in a check for prerenders that reads two async-local
 * stores per call (next/dist/server/node-environment-extensions/date.js, which says to use
 * `performance` for measuring), a cost per streamed token.
 */
function monotonicNow(): number {
  return performance.now();
}
export const IDLE_MS = 10 * 60_000;
/** How many dropped sessions' numbers are remembered one by one (the rest share a floor). */
export const DROPPED_LIMIT = 10_000;

interface Channel {
  seq: number;
  recent: SessionEvent[];
  subscribers: Set<(event: SessionEvent) => void>;
  lastActivity: number;
}

export class SessionBus implements EventBus {
  private readonly channels = new Map<string, Channel>();
  /** where numbering resumes for the sessions whose channel was dropped last, oldest drop first */
  private readonly droppedSeq = new Map<string, number>();
  /** where numbering starts for any other session: above every number a session forgotten from droppedSeq reached */
  private floor: number;

  /**
   * `now`: the clock (ms; only differences are used). `origin`: the number before each session's first event here (0
   * in tests; the server's bus uses numberingOrigin()). `droppedLimit`: how many dropped
   * sessions' numbers are remembered one by one.
   */
  constructor(
    private readonly now: () => number = monotonicNow,
    origin = 0,
    private readonly droppedLimit = DROPPED_LIMIT,
  ) {
    this.floor = origin;
  }

  private channel(sessionId: string): Channel {
    let channel = this.channels.get(sessionId);
    if (!channel) {
      const seq = this.droppedSeq.get(sessionId) ?? this.floor;
      this.droppedSeq.delete(sessionId);
      channel = { seq, recent: [], subscribers: new Set(), lastActivity: this.now() };
      this.channels.set(sessionId, channel);
    }
    return channel;
  }

  currentSeq(sessionId: string): number {
    return this.channels.get(sessionId)?.seq ?? this.droppedSeq.get(sessionId) ?? this.floor;
  }

  publish(sessionId: string, payload: SessionEventPayload): SessionEvent {
    const channel = this.channel(sessionId);
    const event = { ...payload, seq: ++channel.seq } as SessionEvent;
    channel.lastActivity = this.now();
    channel.recent.push(event);
    if (channel.recent.length > REPLAY_LIMIT) channel.recent.splice(0, channel.recent.length - REPLAY_LIMIT);
    for (const subscriber of channel.subscribers) subscriber(event);
    return event;
  }

  /**
   * Events after `seq` if the buffer still holds all of them; null when the viewer is too
   * far behind (or this process restarted, or dropped the channel) and needs a fresh snapshot.
   */
  /** Publishing delivers at once: nothing waits. */
  async flush(): Promise<void> {}

  eventsAfter(sessionId: string, seq: number): SessionEvent[] | null {
    const channel = this.channels.get(sessionId);
    if (!channel || seq > channel.seq) return null;
    if (seq === channel.seq) return [];
    const first = channel.recent[0];
    if (!first || first.seq > seq + 1) return null;
    return channel.recent.slice(seq + 1 - first.seq);
  }

  /** In process, the snapshot reads the steps not yet written with the rows (lib/db/steps.ts): nothing to replay. */
  snapshotPoint(sessionId: string): SnapshotPoint {
    const seq = this.currentSeq(sessionId);
    return { seq, replayAfter: seq };
  }

  eventsHeldAfter(sessionId: string, seq: number): SessionEvent[] {
    const channel = this.channels.get(sessionId);
    return channel ? channel.recent.filter((event) => event.seq > seq) : [];
  }

  subscribe(sessionId: string, subscriber: (event: SessionEvent) => void): () => void {
    const channel = this.channel(sessionId);
    channel.subscribers.add(subscriber);
    return () => {
      channel.subscribers.delete(subscriber);
      channel.lastActivity = this.now();
    };
  }

  follow(sessionId: string, onEvent: (event: SessionEvent) => void): Following {
    return { ready: null, stop: this.subscribe(sessionId, onEvent) };
  }

  watchStepWrites(): void {}

  /** One process: the caller stops its own runs directly. */
  requestStop(): void {}

  onStopRequest(): void {}

  private readonly revokedHandlers = new Set<(credentialId: string) => void>();

  announceRevoked(credentialId: string): void {
    for (const handler of this.revokedHandlers) handler(credentialId);
  }

  onRevoked(handler: (credentialId: string) => void): () => void {
    this.revokedHandlers.add(handler);
    return () => this.revokedHandlers.delete(handler);
  }

  /**
   * Drop the channels nobody follows and nothing was published to for IDLE_MS, remembering
   * where each one's numbering resumes; past `droppedLimit` the oldest drops are forgotten
   * into the floor.
   */
  dropIdle(): void {
    const cutoff = this.now() - IDLE_MS;
    for (const [sessionId, channel] of this.channels) {
      if (channel.subscribers.size > 0 || channel.lastActivity > cutoff) continue;
      this.channels.delete(sessionId);
      this.droppedSeq.set(sessionId, channel.seq);
    }
    for (const [sessionId, seq] of this.droppedSeq) {
      if (this.droppedSeq.size <= this.droppedLimit) break;
      this.droppedSeq.delete(sessionId);
      this.floor = Math.max(this.floor, seq);
    }
  }
}

/**
 * Where an in-process bus started at `startedAt` (ms since the epoch) numbers events from:
 * its start in microseconds, so a restarted server's numbers are above any the one before
 * it sent (it would have had to send more than 1,000 events of one session per
 * millisecond it was up) and a viewer reconnecting with an event id of the old process
 * (SSE Last-Event-ID) gets a fresh snapshot: replayed from the new numbering, it would miss
 * everything the new process sent up to that number (a run's end, say). Below 2^53 until
 * the year 2255.
 */
export function numberingOrigin(startedAt: number): number {
  return startedAt * 1_000;
}

/** The process's bus: through Redis when REDIS_URL is set, else in process. */
export function getSessionBus(): EventBus {
  const state = processState();
  if (!state.sessionBus) {
    const url = env().REDIS_URL;
    if (url) {
      state.sessionBus = new RedisSessionBus({ url });
    } else {
      const bus = new SessionBus(monotonicNow, numberingOrigin(Date.now()));
      setInterval(() => bus.dropIdle(), 60_000).unref();
      state.sessionBus = bus;
    }
  }
  return state.sessionBus;
}
