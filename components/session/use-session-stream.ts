"use client";

import { useEffect, useRef, useState } from "react";
import type { SessionStreamMessage } from "@/lib/wire/events";

export type StreamStatus = "connecting" | "live" | "reconnecting";

/** After a dropped connection (the server's `retry`), and after an HTTP error, before opening a new stream. */
const RECONNECT_DELAY_MS = 1000;
const REOPEN_DELAY_MS = 3000;

/**
 * Follows a session's SSE stream. Messages are handed over in batches, one per animation
 * frame: a model writing 100 deltas a second costs one render per frame, not one per delta.
 * `position` gives the last sequence number (a reopened stream asks only for what it
 * missed) and the branch on screen (a snapshot outlines that branch). The stream is
 * reopened here rather than by EventSource itself, so the reopened one names the branch
 * on screen now, not the one at the first connection. `viewerId` (this tab's id) makes the
 * stream the tab's presence: the others see it while it is open.
 */
export function useSessionStream(
  sessionId: string,
  onMessages: (messages: SessionStreamMessage[]) => void,
  position: () => { seq: number; leafId: string | null },
  viewerId: string | null = null,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>("connecting");
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
    let frame: number | undefined;
    let closed = false;

    const flush = () => {
      frame = undefined;
      const batch = queue;
      queue = [];
      if (batch.length > 0) deliver.current(batch);
    };
    const schedule = () => {
      if (frame !== undefined) return;
      // Hidden tabs get no animation frames; a timer keeps their state current at low cost.
      frame = document.hidden ? window.setTimeout(flush, 250) : requestAnimationFrame(flush);
    };

    const open = () => {
      const { seq, leafId } = where.current();
      const query = new URLSearchParams();
      if (seq > 0) query.set("after", String(seq));
      if (leafId) query.set("leaf", leafId);
      if (viewerId) query.set("viewer", viewerId);
      source = new EventSource(`/api/sessions/${sessionId}/events${query.size > 0 ? `?${query}` : ""}`);
      source.onopen = () => setStatus("live");
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
        reopenTimer = setTimeout(open, failed ? REOPEN_DELAY_MS : RECONNECT_DELAY_MS);
      };
    };
    open();

    return () => {
      closed = true;
      source?.close();
      clearTimeout(reopenTimer);
      if (frame !== undefined) {
        cancelAnimationFrame(frame);
        clearTimeout(frame);
      }
    };
  }, [sessionId, viewerId]);

  return status;
}
