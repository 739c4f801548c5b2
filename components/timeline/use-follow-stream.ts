"use client";

import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { followAfterScroll } from "./follow-scroll";

/**
 * Keeps `scroller` pinned to the bottom while `content` grows (deltas, rows coming into
 * view, several steps in one frame), unless the person scrolled away (./follow-scroll.ts
 * says which scrolls are theirs). `follow` pins it again; `release` stops following (the
 * selection moved to a row out of view); `wrote` is called after each of the page's own
 * scrolls of `scroller` that don't go through this hook (the virtualiser's), so they are
 * not taken for the person's.
 */
export function useFollowStream(scroller: RefObject<HTMLElement | null>, content: RefObject<HTMLElement | null>) {
  const pinned = useRef(true);
  /** the scrollTop the page's own last scroll left, until the next scroll event */
  const appWrote = useRef<number | null>(null);
  const [scrolledAway, setScrolledAway] = useState(false);

  const wrote = useCallback(() => {
    const element = scroller.current;
    if (element) appWrote.current = element.scrollTop;
  }, [scroller]);

  const toBottom = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    appWrote.current = element.scrollTop;
  }, [scroller]);

  // Content grows without scroll events: stay pinned if we were.
  useLayoutEffect(() => {
    if (pinned.current) toBottom();
  });
  useEffect(() => {
    const element = content.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) toBottom();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [content, toBottom]);

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    const reading = { top: element.scrollTop, height: element.scrollHeight, viewport: element.clientHeight };
    const next = followAfterScroll(pinned.current, reading, appWrote.current);
    appWrote.current = null;
    pinned.current = next.pinned;
    if (next.repin) toBottom();
    setScrolledAway(!next.pinned);
  }

  function follow() {
    pinned.current = true;
    setScrolledAway(false);
    toBottom();
  }

  const release = useCallback(() => {
    pinned.current = false;
    setScrolledAway(true);
  }, []);

  return { scrolledAway, onScroll, follow, release, wrote };
}
