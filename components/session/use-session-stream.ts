"use client";

import { useEffect, useRef, useState } from "react";
import type { SessionStreamMessage } from "@/lib/realtime/events";

export type StreamStatus = "connecting" | "live" | "reconnecting";

/** EventSource gives up for good on an HTTP error; this is how long to wait before opening a new one. */
const REOPEN_DELAY_MS = 3000;

/**
 * Follows a session's SSE stream. Messages are handed over in batches, one per animation
 * frame: a model writing 100 deltas a second costs one render per frame, not one per delta.
 * `lastSeq` lets a stream reopened by hand ask only for what it missed.
 */
export function useSessionStream(
  sessionId: string,
  onMessages: (messages: SessionStreamMessage[]) => void,
  lastSeq: () => number,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const deliver = useRef(onMessages);
  const seq = useRef(lastSeq);
  useEffect(() => {
    deliver.current = onMessages;
    seq.current = lastSeq;
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
      const after = seq.current();
      source = new EventSource(`/api/sessions/${sessionId}/events${after > 0 ? `?after=${after}` : ""}`);
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
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          reopenTimer = setTimeout(open, REOPEN_DELAY_MS);
        }
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
  }, [sessionId]);

  return status;
}
