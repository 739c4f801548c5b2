import { createHash, randomUUID } from "node:crypto";
import { createClient, type RedisClientType } from "@redis/client";
import type { StepRowQueue, StepWriteObserver } from "@/lib/db/step-rows";
import { parseJsonOr } from "@/lib/json";
import type { SessionEvent, SessionEventPayload } from "@/lib/wire/events";
import type { EventBus, Following, SnapshotPoint } from "./bus";
import {
  channelEvents,
  EVENTS_AFTER_SCRIPT,
  entryEvent,
  exactEventsAfter,
  KEY_TTL_S,
  MARK_WRITTEN_SCRIPT,
  markerAfterWrite,
  PUBLISH_BATCH_MAX,
  PUBLISH_SCRIPT,
  replayAfter,
  SNAPSHOT_POINT_SCRIPT,
  STREAM_MAXLEN,
  type StreamEntry,
  sessionKeys,
  type UnflushedCount,
} from "./redis-protocol";

/**
 * The session event bus through Redis (REDIS_URL), so every app instance sees every
 * session's events in one order. Publishes are coalesced: what is published in one tick
 * goes out (on setImmediate) as one Lua script call (per event INCR + XADD, one PUBLISH per
 * session carrying its events as an array; see redis-protocol.ts), run with EVALSHA; any
 * other command first sends the publishes before it, so commands keep call order. Viewers on this instance are fed from one
 * pub/sub connection, subscribed per session while it has local viewers; the publisher's
 * own viewers get its events the same way, so every instance delivers the same order.
 *
 * Failure: commands go out only while the connection is ready and the scripts are loaded;
 * meanwhile they wait in order (up to OFFLINE_LIMIT, then publishes are dropped). A run
 * never fails because Redis does; the outage is logged once. Followers are told their
 * stream broke (`onLost`), their viewers reconnect and resume from the stream.
 */

const OFFLINE_LIMIT = 10_000;

interface Script {
  body: string;
  sha: string;
}

function script(body: string): Script {
  return { body, sha: createHash("sha1").update(body).digest("hex") };
}

const SCRIPTS = {
  publish: script(PUBLISH_SCRIPT),
  markWritten: script(MARK_WRITTEN_SCRIPT),
  snapshotPoint: script(SNAPSHOT_POINT_SCRIPT),
  eventsAfter: script(EVENTS_AFTER_SCRIPT),
};

interface LocalChannel {
  followers: Set<{ onEvent: (event: SessionEvent) => void; onLost: (reason: string) => void }>;
  ready: Promise<void>;
  listener: (message: string) => void;
}

/** A publish waiting for the tick's batch to be sent. */
interface Queued {
  payload: string;
  unflushed: boolean;
  count: UnflushedCount | undefined;
}

interface Pending {
  args: string[];
  resolve: (reply: unknown) => void;
  reject: (error: unknown) => void;
}

export class RedisSessionBus implements EventBus, StepWriteObserver {
  private readonly client: RedisClientType;
  private readonly subscriber: RedisClientType;
  private readonly prefix: string;
  /** this instance's name in the sessions' not-written markers */
  readonly instanceId = randomUUID();
  private usable = false;
  /** until the subscriber's first connection is up (or failed): what new followers wait for */
  private subscriberStarting: Promise<void> | null;
  private offline: Pending[] = [];
  private outageLogged = false;
  private readonly channels = new Map<string, LocalChannel>();
  /** subscriptions of followers that were lost: the client resubscribes them on reconnect */
  private readonly abandoned = new Map<string, (message: string) => void>();
  private readonly unflushed = new Map<string, UnflushedCount>();
  private readonly watched = new WeakSet<StepRowQueue>();
  private readonly stopHandlers = new Set<(runId: string) => void>();
  private readonly revokedHandlers = new Set<(credentialId: string) => void>();
  /** this tick's publishes per session, in call order (Map: sessions in first-publish order) */
  private batch = new Map<string, Queued[]>();
  private batchSize = 0;
  private batchTimer: NodeJS.Immediate | null = null;

  /** `prefix` namespaces every key and channel (tests use a unique one per run). */
  constructor({ url, prefix = "interleave" }: { url: string; prefix?: string }) {
    this.prefix = prefix;
    const options = {
      url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
    };
    this.client = createClient(options) as RedisClientType;
    this.subscriber = createClient(options) as RedisClientType;
    this.client.on("error", (error: unknown) => this.outage(error));
    this.client.on("reconnecting", () => {
      this.usable = false;
    });
    this.client.on("ready", () => void this.loadScripts());
    this.subscriber.on("error", (error: unknown) => this.outage(error));
    this.subscriber.on("reconnecting", () => this.loseFollowers("Lost the connection to Redis."));
    // The control channel: subscribed once, the client resubscribes it after reconnects.
    this.subscriber.once("ready", () => {
      this.subscriber
        .subscribe(`${prefix}:ctl`, (message: string) => {
          const control = parseJsonOr(message, null) as { stop?: unknown; revoked?: unknown } | null;
          const { stop, revoked } = control ?? {};
          if (typeof stop === "string") for (const handler of this.stopHandlers) handler(stop);
          if (typeof revoked === "string") for (const handler of this.revokedHandlers) handler(revoked);
        })
        .catch((error: unknown) => this.outage(error));
    });
    this.subscriber.on("ready", () => {
      for (const [name, listener] of this.abandoned) this.subscriber.unsubscribe(name, listener).catch(() => {});
      this.abandoned.clear();
    });
    this.subscriberStarting = new Promise<void>((resolve, reject) => {
      this.subscriber.once("ready", resolve);
      this.subscriber.once("error", reject);
    });
    this.subscriberStarting
      .catch(() => {})
      .finally(() => {
        this.subscriberStarting = null;
      });
    void this.client.connect().catch((error: unknown) => this.outage(error));
    void this.subscriber.connect().catch((error: unknown) => this.outage(error));
  }

  private outage(error: unknown): void {
    this.usable = false;
    if (this.outageLogged) return;
    this.outageLogged = true;
    console.error(
      "[realtime] Redis is unreachable; live events wait (or are dropped) until it is back:",
      error instanceof Error ? error.message : error,
    );
  }

  private async loadScripts(): Promise<void> {
    try {
      for (const { body } of Object.values(SCRIPTS)) await this.client.sendCommand(["SCRIPT", "LOAD", body]);
    } catch (error) {
      this.outage(error);
      return;
    }
    if (this.outageLogged) console.error("[realtime] Redis is back.");
    this.outageLogged = false;
    this.usable = true;
    const waiting = this.offline;
    this.offline = [];
    for (const pending of waiting) this.send(pending);
  }

  private send({ args, resolve, reject }: Pending): void {
    this.client.sendCommand(args).then(resolve, (error: unknown) => {
      if (!this.usable || !(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) return reject(error);
      // Someone flushed the script cache under a live connection: reload for the next ones.
      this.usable = false;
      void this.loadScripts();
      reject(error);
    });
  }

  /** Run a script in call order; waits (in order) while Redis is unreachable. */
  private run(which: Script, keys: string[], args: Array<string | number>): Promise<unknown> {
    return this.call(["EVALSHA", which.sha, String(keys.length), ...keys, ...args.map(String)]);
  }

  /** Send a command in call order (after the publishes before it); waits (in order) while Redis is unreachable. */
  private call(args: string[]): Promise<unknown> {
    this.sendPublishes();
    return this.enqueue(args);
  }

  private enqueue(args: string[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const pending = { args, resolve, reject };
      if (this.usable) return this.send(pending);
      if (this.offline.length >= OFFLINE_LIMIT) return reject(new Error("Redis is unreachable and the queue is full."));
      this.offline.push(pending);
    });
  }

  publish(sessionId: string, payload: SessionEventPayload, options: { unflushed?: boolean } = {}): void {
    let count: UnflushedCount | undefined;
    if (options.unflushed) {
      count = this.unflushed.get(sessionId);
      if (!count) {
        count = { issued: 0, acked: 0 };
        this.unflushed.set(sessionId, count);
      }
      count.issued += 1;
    }
    let queued = this.batch.get(sessionId);
    if (!queued) {
      queued = [];
      this.batch.set(sessionId, queued);
    }
    queued.push({ payload: JSON.stringify(payload), unflushed: options.unflushed === true, count });
    this.batchSize += 1;
    if (this.batchSize >= PUBLISH_BATCH_MAX) this.sendPublishes();
    else this.batchTimer ??= setImmediate(() => this.sendPublishes());
  }

  /** The publishes queued so far are sent and answered: a command after them on the same connection is. */
  async flush(): Promise<void> {
    await this.call(["PING"]).catch(() => {});
  }

  /** Send the publishes queued so far as one script call (see PUBLISH_SCRIPT). */
  private sendPublishes(): void {
    if (this.batchTimer) clearImmediate(this.batchTimer);
    this.batchTimer = null;
    if (this.batchSize === 0) return;
    const batch = this.batch;
    this.batch = new Map();
    this.batchSize = 0;
    const keys: string[] = [];
    const args: string[] = [String(STREAM_MAXLEN), this.instanceId, String(KEY_TTL_S)];
    const counts: Array<UnflushedCount | undefined> = [];
    for (const [sessionId, queued] of batch) {
      const names = sessionKeys(this.prefix, sessionId);
      keys.push(names.counter, names.stream, names.unflushed);
      args.push(names.channel, String(queued.length));
      for (const { payload, unflushed, count } of queued) {
        args.push(unflushed ? "1" : "0", payload);
        counts.push(count);
      }
    }
    this.enqueue(["EVALSHA", SCRIPTS.publish.sha, String(keys.length), ...keys, ...args]).then(
      (reply) => {
        const seqs = reply as number[];
        counts.forEach((count, index) => {
          if (count) count.acked = Math.max(count.acked, Number(seqs[index]));
        });
      },
      (error: unknown) => this.outage(error),
    );
  }

  follow(sessionId: string, onEvent: (event: SessionEvent) => void, onLost: (reason: string) => void): Following {
    let channel = this.channels.get(sessionId);
    if (!channel) {
      const followers: LocalChannel["followers"] = new Set();
      const listener = (message: string) => {
        for (const event of channelEvents(message) ?? []) for (const follower of followers) follower.onEvent(event);
      };
      const name = sessionKeys(this.prefix, sessionId).channel;
      const ready = this.subscriber.isReady
        ? this.subscriber.subscribe(name, listener)
        : this.subscriberStarting
          ? this.subscriberStarting.then(() => this.subscriber.subscribe(name, listener))
          : Promise.reject(new Error("Redis is unreachable."));
      ready.catch(() => {});
      channel = { followers, ready, listener };
      this.channels.set(sessionId, channel);
    }
    const follower = { onEvent, onLost };
    const local = channel;
    local.followers.add(follower);
    return {
      ready: local.ready,
      stop: () => {
        local.followers.delete(follower);
        if (local.followers.size > 0 || this.channels.get(sessionId) !== local) return;
        this.channels.delete(sessionId);
        if (this.subscriber.isReady) {
          this.subscriber
            .unsubscribe(sessionKeys(this.prefix, sessionId).channel, local.listener)
            .catch((error: unknown) => this.outage(error));
        }
      },
    };
  }

  /** The subscription broke: every local follower must resume from the stream. */
  private loseFollowers(reason: string): void {
    const channels = [...this.channels];
    this.channels.clear();
    for (const [sessionId, channel] of channels) {
      this.abandoned.set(sessionKeys(this.prefix, sessionId).channel, channel.listener);
      for (const follower of channel.followers) follower.onLost(reason);
    }
  }

  async eventsAfter(sessionId: string, seq: number): Promise<SessionEvent[] | null> {
    const keys = sessionKeys(this.prefix, sessionId);
    const [current, entries] = (await this.run(SCRIPTS.eventsAfter, [keys.counter, keys.stream], [seq])) as [
      number,
      StreamEntry[],
    ];
    return exactEventsAfter(seq, current, entries);
  }

  async snapshotPoint(sessionId: string): Promise<SnapshotPoint> {
    const keys = sessionKeys(this.prefix, sessionId);
    const [seq, now, ...markers] = (await this.run(SCRIPTS.snapshotPoint, [keys.counter, keys.unflushed], [])) as [
      number,
      number,
      ...string[],
    ];
    return { seq, replayAfter: replayAfter(seq, now, markers) };
  }

  async eventsHeldAfter(sessionId: string, seq: number): Promise<SessionEvent[]> {
    const keys = sessionKeys(this.prefix, sessionId);
    const [, entries] = (await this.run(SCRIPTS.eventsAfter, [keys.counter, keys.stream], [seq])) as [
      number,
      StreamEntry[],
    ];
    return entries.map(entryEvent);
  }

  watchStepWrites(queue: StepRowQueue): void {
    if (this.watched.has(queue)) return;
    this.watched.add(queue);
    queue.observe(this);
  }

  /** @internal StepWriteObserver: a write of these sessions' queued steps starts */
  writing(sessionIds: ReadonlySet<string>): (failed: ReadonlySet<string>) => void {
    const atStart = new Map<string, UnflushedCount>();
    for (const sessionId of sessionIds) {
      const count = this.unflushed.get(sessionId);
      if (count) atStart.set(sessionId, { ...count });
    }
    return (failed) => {
      for (const [sessionId, start] of atStart) {
        // A failed row stays unwritten: its marker stays (and goes stale if it never heals).
        if (failed.has(sessionId)) continue;
        const count = this.unflushed.get(sessionId);
        if (!count) continue;
        const marker = markerAfterWrite(start, count);
        if (marker === null) continue;
        if (marker === "clear") this.unflushed.delete(sessionId);
        this.run(SCRIPTS.markWritten, [sessionKeys(this.prefix, sessionId).unflushed], [this.instanceId, marker]).catch(
          (error: unknown) => this.outage(error),
        );
      }
    };
  }

  requestStop(runId: string): void {
    this.call(["PUBLISH", `${this.prefix}:ctl`, JSON.stringify({ stop: runId })]).catch((error: unknown) =>
      this.outage(error),
    );
  }

  onStopRequest(handler: (runId: string) => void): void {
    this.stopHandlers.add(handler);
  }

  /**
   * Through the control channel, so every instance hears it; this one too, at once, so a
   * revocation takes effect here even while Redis is away.
   */
  announceRevoked(credentialId: string): void {
    for (const handler of this.revokedHandlers) handler(credentialId);
    this.call(["PUBLISH", `${this.prefix}:ctl`, JSON.stringify({ revoked: credentialId })]).catch((error: unknown) =>
      this.outage(error),
    );
  }

  onRevoked(handler: (credentialId: string) => void): () => void {
    this.revokedHandlers.add(handler);
    return () => this.revokedHandlers.delete(handler);
  }

  /** Close both connections (tests, shutdown). */
  async close(): Promise<void> {
    this.sendPublishes();
    this.usable = false;
    for (const pending of this.offline) pending.reject(new Error("The bus was closed."));
    this.offline = [];
    await Promise.allSettled([this.client.close(), this.subscriber.close()]);
  }
}
