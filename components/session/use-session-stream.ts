"use client";

import { useEffect, useRef, useState } from "react";
import { ApiError, apiFetch, withShare } from "@/lib/wire/client";
import type { SessionStreamMessage } from "@/lib/wire/events";
import type { StreamEnded } from "@/lib/wire/shares";
import { batchSchedule } from "./batch-schedule";

/** `ended`: the stream will not come back (a share link revoked, re-minted or expired; the session deleted): see the hook's `ended`. */
export type StreamStatus = "connecting" | "live" | "reconnecting" | "ended";

/** What a share link's viewer is told when the link stopped working without the server saying why (expired, or revoked while offline). */
export const LINK_GONE: StreamEnded = {
  type: "ended",
  code: "revoked",
  message: "This link no longer works: it was revoked, replaced or has expired.",
};

/** What a member is told when a reconnect is refused because the session is gone (deleted while this tab was offline). */
export const SESSION_GONE: StreamEnded = {
  type: "ended",
  code: "deleted",
  message: "This session was deleted, so it no longer updates.",
};

/** The server's `ended` event, or null for anything else. */
export function parseEnded(data: string): StreamEnded | null {
  try {
    const ended = JSON.parse(data) as Partial<StreamEnded>;
    if (ended.type !== "ended" || typeof ended.message !== "string") return null;
    const code = ended.code === "deleted" || ended.code === "removed" ? ended.code : "revoked";
    return { type: "ended", code, message: ended.message };
  } catch {
    return null;
  }
}

/** After a dropped connection (the server's `retry`), and after an HTTP error, before opening a new stream. */
const RECONNECT_DELAY_MS = 1000;
const REOPEN_DELAY_MS = 3000;
/**
 * The least time between two batches (ms). Each batch renders the page once (the
 * timeline's streaming row, the run's numbers, the file being written in Monaco, then
 * style, layout and paint): ~20 ms of main thread on a loaded machine. At a frame per
 * delta a fast stream kept the main thread busy most of the time (scripts/profile-session-page.ts).
 */
const MIN_BATCH_INTERVAL_MS = 100;
/** Between two batches in a hidden tab, which gets no animation frames (ms; the browser may throttle it to a second or more). */
const HIDDEN_BATCH_INTERVAL_MS = 250;

/**
 * Follows a session's SSE stream. Messages are handed over in batches, on an animation
 * frame and at most one per MIN_BATCH_INTERVAL_MS: a model writing 100 deltas a second costs
 * ten renders a second, not one per delta or per frame. In a hidden tab they go on a timer
 * instead, and whatever waits is handed over when the tab is hidden or shown (batch-schedule.ts).
 * `position` gives the last sequence number (a reopened stream asks only for what it
 * missed) and the branch on screen (a snapshot outlines that branch). The stream is
 * reopened here rather than by EventSource itself, so the reopened one names the branch
 * on screen now, not the one at the first connection. `viewerId` (this tab's id) makes the
 * stream the tab's presence: the others see it while it is open.
 *
 * `share` (a share link's viewer): every request carries the link's token. When the link
 * is revoked or re-minted the server ends the stream with an `ended` event, and when it
 * refuses a reconnect the link is checked: either way the hook stops, with `ended` saying
 * why, instead of retrying forever. The same for everyone when the session is deleted: the
 * server's `ended` event, or (deleted while the tab was offline) a refused reconnect whose
 * check finds the session gone.
 */
export function useSessionStream(
  sessionId: string,
  onMessages: (messages: SessionStreamMessage[]) => void,
  position: () => { seq: number; leafId: string | null },
  viewerId: string | null = null,
  share: string | null = null,
): { status: StreamStatus; ended: StreamEnded | null } {
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const [ended, setEnded] = useState<StreamEnded | null>(null);
  const deliver = useRef(onMessages);
  const where = useRef(position);
  useEffect(() => {
    deliver.current = onMessages;
    where.current = position;
  });

  useEffect(() => {
    let source: EventSource | null = null;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let queue: SessionStreamMessage[] = [];
    let closed = false;

    const flush = () => {
      const batch = queue;
      queue = [];
      if (batch.length > 0) deliver.current(batch);
    };
    // Hidden tabs get no animation frames: there a timer keeps the state current at low cost (batch-schedule.ts).
    const batches = batchSchedule(
      flush,
      {
        now: () => performance.now(),
        hidden: () => document.hidden,
        setTimer: (run, ms) => window.setTimeout(run, ms),
        clearTimer: (handle) => window.clearTimeout(handle),
        requestFrame: (run) => requestAnimationFrame(run),
        cancelFrame: (handle) => cancelAnimationFrame(handle),
      },
      { minIntervalMs: MIN_BATCH_INTERVAL_MS, hiddenIntervalMs: HIDDEN_BATCH_INTERVAL_MS },
    );
    const schedule = batches.schedule;
    const visibilityChanged = batches.visibilityChanged;
    document.addEventListener("visibilitychange", visibilityChanged);

    const end = (last: StreamEnded) => {
      closed = true;
      source?.close();
      clearTimeout(reopenTimer);
      setEnded(last);
      setStatus("ended");
    };
    /**
     * A refused reconnect: why the stream can't come back (the share link stopped working,
     * the session is gone), or null when the session still opens (a network blip, a restart).
     */
    const checkGone = async (): Promise<StreamEnded | null> => {
      try {
        await apiFetch(withShare(`/api/sessions/${sessionId}`, share));
        return null;
      } catch (error) {
        if (!(error instanceof ApiError)) return null;
        if (share) return error.status === 401 || error.status === 404 ? LINK_GONE : null;
        return error.status === 404 ? SESSION_GONE : null;
      }
    };

    const open = () => {
      const { seq, leafId } = where.current();
      const query = new URLSearchParams();
      if (seq > 0) query.set("after", String(seq));
      if (leafId) query.set("leaf", leafId);
      if (viewerId) query.set("viewer", viewerId);
      const url = `/api/sessions/${sessionId}/events${query.size > 0 ? `?${query}` : ""}`;
      source = new EventSource(withShare(url, share));
      source.onopen = () => setStatus("live");
      source.addEventListener("ended", (event: MessageEvent<string>) => end(parseEnded(event.data) ?? LINK_GONE));
      source.onmessage = (event: MessageEvent<string>) => {
        try {
          queue.push(JSON.parse(event.data) as SessionStreamMessage);
        } catch {
          return;
        }
        schedule();
      };
      source.onerror = () => {
        if (closed || !source) return;
        setStatus("reconnecting");
        const failed = source.readyState === EventSource.CLOSED;
        source.close();
        if (failed) {
          void checkGone().then((gone) => {
            if (closed) return;
            if (gone) end(gone);
            else reopenTimer = setTimeout(open, REOPEN_DELAY_MS);
          });
          return;
        }
        reopenTimer = setTimeout(open, failed ? REOPEN_DELAY_MS : RECONNECT_DELAY_MS);
      };
    };
    open();

    return () => {
      closed = true;
      source?.close();
      clearTimeout(reopenTimer);
      document.removeEventListener("visibilitychange", visibilityChanged);
      batches.dispose();
    };
  }, [sessionId, viewerId, share]);

  return { status, ended };
}
