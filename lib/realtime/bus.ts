import type { SessionEvent, SessionEventPayload } from "./events";

/**
 * The per-session event channel, in process. Publishing numbers the event, keeps it in
 * a short replay buffer (for reconnects) and hands it to every subscriber synchronously:
 * no stream-transform chain per viewer, so a delta reaches the SSE writers in the same tick.
 * A channel nobody has followed or published to for IDLE_MS is dropped with its buffer;
 * its sequence number is remembered, so numbering never restarts and a viewer that comes
 * back later gets a fresh snapshot instead of a wrong replay.
 */

const REPLAY_LIMIT = 5_000;
export const IDLE_MS = 10 * 60_000;

interface Channel {
  seq: number;
  recent: SessionEvent[];
  subscribers: Set<(event: SessionEvent) => void>;
  lastActivity: number;
}

export class SessionBus {
  private readonly channels = new Map<string, Channel>();
  /** where numbering resumes for sessions whose channel was dropped */
  private readonly droppedSeq = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  private channel(sessionId: string): Channel {
    let channel = this.channels.get(sessionId);
    if (!channel) {
      const seq = this.droppedSeq.get(sessionId) ?? 0;
      this.droppedSeq.delete(sessionId);
      channel = { seq, recent: [], subscribers: new Set(), lastActivity: this.now() };
      this.channels.set(sessionId, channel);
    }
    return channel;
  }

  currentSeq(sessionId: string): number {
    return this.channels.get(sessionId)?.seq ?? this.droppedSeq.get(sessionId) ?? 0;
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
  eventsAfter(sessionId: string, seq: number): SessionEvent[] | null {
    const channel = this.channels.get(sessionId);
    if (!channel || seq > channel.seq) return null;
    if (seq === channel.seq) return [];
    const first = channel.recent[0];
    if (!first || first.seq > seq + 1) return null;
    return channel.recent.slice(seq + 1 - first.seq);
  }

  subscribe(sessionId: string, subscriber: (event: SessionEvent) => void): () => void {
    const channel = this.channel(sessionId);
    channel.subscribers.add(subscriber);
    return () => {
      channel.subscribers.delete(subscriber);
      channel.lastActivity = this.now();
    };
  }

  /** Drop the channels nobody follows and nothing was published to for IDLE_MS. */
  dropIdle(): void {
    const cutoff = this.now() - IDLE_MS;
    for (const [sessionId, channel] of this.channels) {
      if (channel.subscribers.size > 0 || channel.lastActivity > cutoff) continue;
      this.channels.delete(sessionId);
      this.droppedSeq.set(sessionId, channel.seq);
    }
  }
}

const globalForBus = globalThis as unknown as { sessionBus?: SessionBus };

export function getSessionBus(): SessionBus {
  if (!globalForBus.sessionBus) {
    const bus = new SessionBus();
    setInterval(() => bus.dropIdle(), 60_000).unref();
    globalForBus.sessionBus = bus;
  }
  return globalForBus.sessionBus;
}
