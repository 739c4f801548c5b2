import { parseJsonOr } from "@/lib/json";
import type { SessionEvent } from "@/lib/wire/events";

/**
 * The pure part of the Redis bus (redis-bus.ts): key names, the Lua scripts, and how
 * their replies become events and replay points. Layout per session `<id>`, under a
 * prefix (default `interleave`):
 *   `<p>:n:<id>`  counter: the session's last sequence number (INCR)
 *   `<p>:s:<id>`  stream: each event as field `e` (its JSON, `seq` included), entry id `<seq>-0`
 *   `<p>:u:<id>`  hash: per instance, "<seq> <unix s>" = its oldest event whose effect may
 *                 not be in the database yet (the step row queue writes every 250 ms)
 *   `<p>:c:<id>`  pub/sub channel: a JSON array of the same events (those published in one
 *                 script call), published in the same script as their XADDs
 * The sequence number is an explicit counter rather than Redis's time-based stream ids, so
 * it is the same small integer the in-process bus uses (SSE `id`, `?after=`) and the
 * entries of a session are contiguous: a gap at the start of a range means "trimmed".
 */

/** Events kept per session stream (approximate trim, `MAXLEN ~`). */
export const STREAM_MAXLEN = 20_000;
/** Keys of a session expire this long after its last event, in seconds. */
export const KEY_TTL_S = 30 * 24 * 3600;
/** A not-written marker older than this is an instance that died (or a database down): ignored. */
export const MARKER_STALE_S = 60;

export interface SessionKeys {
  counter: string;
  stream: string;
  unflushed: string;
  channel: string;
}

export function sessionKeys(prefix: string, sessionId: string): SessionKeys {
  return {
    counter: `${prefix}:n:${sessionId}`,
    stream: `${prefix}:s:${sessionId}`,
    unflushed: `${prefix}:u:${sessionId}`,
    channel: `${prefix}:c:${sessionId}`,
  };
}

/** Most events one publish script call carries; more in one tick go out in several calls. */
export const PUBLISH_BATCH_MAX = 512;

/**
 * Publishes the events of several sessions in one call (what one instance published in one
 * tick). KEYS per session: counter, stream, unflushed. ARGV: maxlen, instance id, ttl, then
 * per session (in KEYS order): channel, event count n, then n pairs of flag ("1" = the
 * event's effect is not in the database yet) and payload JSON (an object without `seq`).
 * Per event: INCR + XADD; the first not-written event of a session sets the instance's
 * marker unless it has one; then ONE PUBLISH per session of its events as a JSON array in
 * order. Returns every event's seq, in ARGV order. Atomic, so the stream, the channel and
 * the numbering agree on one order across instances.
 */
export const PUBLISH_SCRIPT = `
local maxlen, instance, ttl = ARGV[1], ARGV[2], ARGV[3]
local seqs = {}
local a = 4
for k = 1, #KEYS, 3 do
  local channel, n = ARGV[a], tonumber(ARGV[a + 1])
  a = a + 2
  local events = {}
  local marked = false
  for i = 1, n do
    local seq = redis.call('INCR', KEYS[k])
    local event = '{"seq":' .. seq .. ',' .. string.sub(ARGV[a + 1], 2)
    redis.call('XADD', KEYS[k + 1], 'MAXLEN', '~', maxlen, seq .. '-0', 'e', event)
    if ARGV[a] == '1' and not marked then
      marked = true
      if redis.call('HSETNX', KEYS[k + 2], instance, seq .. ' ' .. redis.call('TIME')[1]) == 1 then
        redis.call('EXPIRE', KEYS[k + 2], ttl)
      end
    end
    events[i] = event
    seqs[#seqs + 1] = seq
    a = a + 2
  end
  redis.call('PUBLISH', channel, '[' .. table.concat(events, ',') .. ']')
  redis.call('EXPIRE', KEYS[k], ttl)
  redis.call('EXPIRE', KEYS[k + 1], ttl)
end
return seqs`;

/**
 * The events of one channel message, in order: a JSON array (a batch of PUBLISH_SCRIPT)
 * or a single event object. Null if the message is not JSON.
 */
export function channelEvents(message: string): SessionEvent[] | null {
  const parsed = parseJsonOr(message, undefined); // no JSON text parses to undefined
  if (parsed === undefined) return null;
  return Array.isArray(parsed) ? (parsed as SessionEvent[]) : [parsed as SessionEvent];
}

/**
 * KEYS unflushed; ARGV instance id, "clear" or the new oldest-unwritten seq. Raises the
 * instance's marker (never lowers it), or removes it when everything it published is written.
 */
export const MARK_WRITTEN_SCRIPT = `
if ARGV[2] == 'clear' then return redis.call('HDEL', KEYS[1], ARGV[1]) end
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and tonumber(string.match(current, '^%d+')) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. redis.call('TIME')[1])
return 1`;

/** KEYS counter, unflushed. Returns {seq, now (unix s), marker values...}: one consistent read. */
export const SNAPSHOT_POINT_SCRIPT = `
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local reply = { seq, tonumber(redis.call('TIME')[1]) }
for _, value in ipairs(redis.call('HVALS', KEYS[2])) do table.insert(reply, value) end
return reply`;

/**
 * KEYS counter, stream; ARGV after. Returns {seq, entries of XRANGE (after+1 .. +)}.
 * One read, so "after is beyond the counter" (the keys expired, numbering restarted) is
 * told apart from "nothing new".
 */
export const EVENTS_AFTER_SCRIPT = `
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
return { seq, redis.call('XRANGE', KEYS[2], tostring(tonumber(ARGV[1]) + 1), '+') }`;

/** A stream entry as XRANGE returns it: [id, [field, value, ...]]. */
export type StreamEntry = [string, string[]];

/** The event an entry holds (field `e`); its seq is the entry id's first part. */
export function entryEvent(entry: StreamEntry): SessionEvent {
  const [, fields] = entry;
  const index = fields.indexOf("e");
  if (index < 0 || index + 1 >= fields.length) throw new Error(`stream entry ${entry[0]} has no event`);
  return JSON.parse(fields[index + 1] as string) as SessionEvent;
}

/** Sequence number of a stream entry id `<seq>-0`. */
export function entrySeq(id: string): number {
  const match = /^(\d+)-0$/.exec(id);
  if (!match) throw new Error(`unexpected stream entry id ${id}`);
  return Number(match[1]);
}

/**
 * The events after `after` if the entries hold every one of them (contiguous from
 * after+1 to `current`), else null: trimmed, or `after` is from an older numbering.
 */
export function exactEventsAfter(after: number, current: number, entries: StreamEntry[]): SessionEvent[] | null {
  if (after > current) return null;
  if (after === current) return [];
  const first = entries[0];
  if (!first || entrySeq(first[0]) !== after + 1) return null;
  return entries.map(entryEvent);
}

/**
 * Where a snapshot's replay starts: just before the oldest event some live instance has
 * not written to the database yet, else `seq` (nothing to replay). Markers are
 * "<seq> <unix s>"; those older than MARKER_STALE_S are ignored.
 */
export function replayAfter(seq: number, nowS: number, markers: readonly string[]): number {
  let after = seq;
  for (const marker of markers) {
    const match = /^(\d+) (\d+)$/.exec(marker);
    if (!match) continue;
    if (nowS - Number(match[2]) > MARKER_STALE_S) continue;
    after = Math.min(after, Number(match[1]) - 1);
  }
  return Math.max(0, after);
}

/** What an instance knows of its own `unflushed` events of one session. */
export interface UnflushedCount {
  /** publishes handed to the connection */
  issued: number;
  /** the highest seq of them Redis confirmed (0: none yet) */
  acked: number;
}

/**
 * After a successful write of everything queued when it started (`atStart`), the
 * instance's marker: "clear" if nothing was published since (every event is in the
 * database), else the lowest seq a later event can have (one above the highest
 * confirmed at the start: later publishes run after it on the same connection), or null
 * (nothing confirmed yet: keep the marker).
 */
export function markerAfterWrite(atStart: UnflushedCount, now: UnflushedCount): "clear" | number | null {
  if (now.issued === atStart.issued) return "clear";
  return atStart.acked > 0 ? atStart.acked + 1 : null;
}
