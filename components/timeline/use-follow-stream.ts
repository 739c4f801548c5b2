"use client";

import {
  type KeyboardEvent,
  type PointerEvent,
  type RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type WheelEvent,
} from "react";
import { followAfterScroll, keyScrollsUp, PERSON_SCROLL_WINDOW_MS } from "./follow-scroll";

/**
 * Keeps `scroller` pinned to the bottom while `content` grows (deltas, rows coming into
 * view, several steps in one frame) or `scroller` shrinks, unless the person scrolled away.
 * A scroll is the person's when it follows their own input that moves the view up — a
 * wheel up, a touch drag, a drag of the scrollbar, or a scroll key the page left to the
 * browser (`onScrollKey`, for keys the list's own handler did not take); every other scroll
 * (the page's, the virtualiser's, the browser's scroll anchoring) keeps following as it was
 * (./follow-scroll.ts). `follow` pins it again; `release` stops following (the selection
 * moved to a row out of view). The returned `on…` handlers go on `scroller`.
 */
export function useFollowStream(scroller: RefObject<HTMLElement | null>, content: RefObject<HTMLElement | null>) {
  const pinned = useRef(true);
  /** performance.now() until which a scroll away from the bottom is the person's */
  const personUntil = useRef(0);
  /** the person holds the scrollbar (a pointer pressed on the scroller itself, not on a row) */
  const dragging = useRef(false);
  const [scrolledAway, setScrolledAway] = useState(false);

  const toBottom = useCallback(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [scroller]);

  // Content grows, or the view shrinks, without scroll events: stay pinned if we were.
  useLayoutEffect(() => {
    if (pinned.current) toBottom();
  });
  useEffect(() => {
    const element = content.current;
    const view = scroller.current;
    if (!element || !view) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) toBottom();
    });
    observer.observe(element);
    observer.observe(view);
    return () => observer.disconnect();
  }, [content, scroller, toBottom]);

  useEffect(() => {
    const letGo = () => {
      dragging.current = false;
    };
    window.addEventListener("pointerup", letGo);
    window.addEventListener("pointercancel", letGo);
    return () => {
      window.removeEventListener("pointerup", letGo);
      window.removeEventListener("pointercancel", letGo);
    };
  }, []);

  /** The person is moving the view up: the scrolls that follow are theirs. */
  function personMovesUp() {
    personUntil.current = performance.now() + PERSON_SCROLL_WINDOW_MS;
  }

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    const reading = { top: element.scrollTop, height: element.scrollHeight, viewport: element.clientHeight };
    const byPerson = dragging.current || performance.now() < personUntil.current;
    const next = followAfterScroll(pinned.current, reading, byPerson);
    pinned.current = next.pinned;
    if (next.repin) toBottom();
    setScrolledAway(!next.pinned);
  }

  function onWheel(event: WheelEvent<HTMLElement>) {
    if (event.deltaY >= 0) return;
    personMovesUp();
    // stop following at once, so steps arriving before the wheel's scroll don't pull the view back
    if (event.currentTarget.scrollTop > 0) pinned.current = false;
  }

  function onScrollKey(event: KeyboardEvent<HTMLElement>) {
    if (keyScrollsUp(event)) personMovesUp();
  }

  function onPointerDown(event: PointerEvent<HTMLElement>) {
    if (event.target === event.currentTarget) dragging.current = true;
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

  return {
    scrolledAway,
    follow,
    release,
    onScrollKey,
    handlers: { onScroll, onWheel, onTouchMove: personMovesUp, onPointerDown },
  };
}
