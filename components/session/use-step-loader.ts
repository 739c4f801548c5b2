"use client";

import { type Dispatch, useCallback, useEffect, useLayoutEffect, useRef } from "react";
import type { StepNode } from "@/lib/steps/types";
import { apiFetch, withShare } from "@/lib/wire/client";
import { useSessionAccess } from "./session-access";
import type { ViewAction } from "./session-store";

/** Steps per request (the server takes at most 200), and requests at once. */
const PAGE = 100;
const PARALLEL = 2;
/** Ids waiting beyond this many are dropped (rows scrolled past long ago); asked for again if wanted. */
const MAX_QUEUED = 4 * PAGE;
/** A page that failed is not asked for again for this long. */
const RETRY_AFTER_MS = 5000;

/**
 * Fetches steps of the session the viewer has not loaded, in pages, as they are asked for
 * (`want(ids)`: rows coming into view first, then what the editor needs). Each step is
 * fetched once while the page lives: what comes back joins the view's steps, which the
 * stream keeps current from then on. `stopped`: the session's stream ended for good (the
 * session was deleted, a share link stopped working): nothing more is asked for, as the
 * server would only answer 404 (or 401/403).
 */
export function useStepLoader(
  sessionId: string,
  loaded: ReadonlyMap<string, StepNode>,
  dispatch: Dispatch<ViewAction>,
  stopped = false,
): (ids: readonly string[]) => void {
  const known = useRef(loaded);
  useEffect(() => {
    known.current = loaded;
  });
  const halted = useRef(stopped);
  // before any effect of the rows below asks for more
  useLayoutEffect(() => {
    halted.current = stopped;
  });
  const queue = useRef<string[]>([]);
  const inFlight = useRef(new Set<string>());
  const failedAt = useRef(new Map<string, number>());
  const running = useRef(0);
  const { share } = useSessionAccess();

  const pump = useCallback(() => {
    if (halted.current) queue.current = [];
    while (running.current < PARALLEL && queue.current.length > 0) {
      const page = queue.current.splice(0, PAGE).filter((id) => !known.current.has(id));
      if (page.length === 0) continue;
      running.current += 1;
      apiFetch<{ steps: StepNode[] }>(withShare(`/api/sessions/${sessionId}/steps?ids=${page.join(",")}`, share))
        .then(
          ({ steps }) => dispatch({ type: "steps", steps }),
          () => {
            for (const id of page) failedAt.current.set(id, Date.now());
          },
        )
        .finally(() => {
          for (const id of page) inFlight.current.delete(id);
          running.current -= 1;
          pump();
        });
    }
  }, [sessionId, dispatch, share]);

  return useCallback(
    (ids: readonly string[]) => {
      if (halted.current) return;
      const now = Date.now();
      const fresh = ids.filter(
        (id) =>
          !known.current.has(id) && !inFlight.current.has(id) && now - (failedAt.current.get(id) ?? 0) > RETRY_AFTER_MS,
      );
      if (fresh.length === 0) return;
      for (const id of fresh) inFlight.current.add(id);
      // What is asked for last is on screen now: it goes first.
      queue.current = [...fresh, ...queue.current];
      for (const id of queue.current.splice(MAX_QUEUED)) inFlight.current.delete(id);
      pump();
    },
    [pump],
  );
}
