"use client";

import { useEffect, useMemo, useState } from "react";
import { loadApi } from "@/lib/wire/load-api";
import type { Viewer } from "@/lib/wire/presence";
import { useSessionAccess } from "./session-access";

/** How long a selection must stay before the others are told, in milliseconds (arrow-key runs send once). */
const SELECTION_SETTLE_MS = 150;

/** This tab's id for presence: a random UUID, the same for the page's life (and across stream reconnects). */
export function useViewerId(): string {
  const [id] = useState(() => crypto.randomUUID());
  return id;
}

/**
 * Tells the session's other viewers which step this tab has selected, once the selection
 * settles. A refusal (the stream not open yet) is ignored: the next selection is sent
 * again, and a tab's entry starts with no selection. `stopped`: the stream ended for good
 * (the session was deleted, a share link stopped working): nobody is told any more, as the
 * server would only answer 404.
 */
export function usePresenceSelection(
  sessionId: string,
  viewerId: string,
  stepId: string | null,
  stopped = false,
): void {
  const { share } = useSessionAccess();
  useEffect(() => {
    if (stopped) return;
    const timer = setTimeout(() => {
      loadApi()
        .then((api) => api.setPresence(sessionId, { viewerId, stepId }, share))
        .catch(() => {});
    }, SELECTION_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [sessionId, viewerId, stepId, share, stopped]);
}

/** The other tabs viewing the session (this one left out), and which of them have each step selected. */
export function useOtherViewers(viewers: readonly Viewer[], viewerId: string) {
  return useMemo(() => {
    const others = viewers.filter((viewer) => viewer.viewerId !== viewerId);
    const byStep = new Map<string, Viewer[]>();
    for (const viewer of others) {
      if (!viewer.stepId) continue;
      byStep.set(viewer.stepId, [...(byStep.get(viewer.stepId) ?? []), viewer]);
    }
    return { others, byStep: byStep as ReadonlyMap<string, readonly Viewer[]> };
  }, [viewers, viewerId]);
}
