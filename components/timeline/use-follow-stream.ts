"use client";

import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from "react";

/** How close to the bottom still counts as "at the bottom" (px). */
const STICK_THRESHOLD = 48;

function scrollToBottom(element: HTMLElement | null) {
  if (element) element.scrollTop = element.scrollHeight;
}

/**
 * Keeps `scroller` pinned to the bottom while `content` grows (deltas, rows coming into
 * view), unless the person scrolled up. `follow` pins it again.
 */
export function useFollowStream(scroller: RefObject<HTMLElement | null>, content: RefObject<HTMLElement | null>) {
  const stuck = useRef(true);
  const [scrolledAway, setScrolledAway] = useState(false);

  // Content grows without scroll events: stay pinned if we were.
  useLayoutEffect(() => {
    if (stuck.current) scrollToBottom(scroller.current);
  });
  useEffect(() => {
    const element = content.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (stuck.current) scrollToBottom(scroller.current);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [scroller, content]);

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    stuck.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD;
    setScrolledAway(!stuck.current);
  }

  function follow() {
    stuck.current = true;
    scrollToBottom(scroller.current);
  }

  return { scrolledAway, onScroll, follow };
}
