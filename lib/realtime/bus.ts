import type { SessionEvent, SessionEventPayload } from "./events";

/**
 * The per-session event channel, in process. Publishing numbers the event, keeps it in
 * a short replay buffer (for reconnects) and hands it to every subscriber synchronously:
 * no stream-transform chain per viewer, so a delta reaches the SSE writers in the same tick.
 */

const REPLAY_LIMIT = 5_000;

interface Channel {
  seq: number;
  recent: SessionEvent[];
  subscribers: Set<(event: SessionEvent) => void>;
}

export class SessionBus {
  private readonly channels = new Map<string, Channel>();

  private channel(sessionId: string): Channel {
    let channel = this.channels.get(sessionId);
    if (!channel) {
      channel = { seq: 0, recent: [], subscribers: new Set() };
      this.channels.set(sessionId, channel);
    }
    return channel;
  }

  currentSeq(sessionId: string): number {
    return this.channels.get(sessionId)?.seq ?? 0;
  }

  publish(sessionId: string, payload: SessionEventPayload): SessionEvent {
    const channel = this.channel(sessionId);
    const event = { ...payload, seq: ++channel.seq } as SessionEvent;
    channel.recent.push(event);
    if (channel.recent.length > REPLAY_LIMIT) channel.recent.splice(0, channel.recent.length - REPLAY_LIMIT);
    for (const subscriber of channel.subscribers) subscriber(event);
    return event;
  }

  /**
   * Events after `seq` if the buffer still holds all of them; null when the viewer is too
   * far behind (or this process restarted) and needs a fresh snapshot.
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
    };
  }
}

const globalForBus = globalThis as unknown as { sessionBus?: SessionBus };

export function getSessionBus(): SessionBus {
  globalForBus.sessionBus ??= new SessionBus();
  return globalForBus.sessionBus;
}
