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
 * A scroll is the person's when it follows their own input that moves the view up — a wheel
 * up, a touch drag, a drag of the scrollbar, or a scroll key the page left to the browser
 * (`onScrollKey`, for keys the list's own handler did not take) — or when nothing else
 * explains it: a scroll the page made, or one as the list's height changes (the browser's
 * scroll anchoring), keeps following as it was (./follow-scroll.ts). `follow` pins it again;
 * `release` stops following (the selection moved to a row out of view); `wrote` is called
 * after each of the page's own scrolls of `scroller` that don't go through this hook (the
 * virtualiser's). The returned `handlers` go on `scroller`.
 */
export function useFollowStream(scroller: RefObject<HTMLElement | null>, content: RefObject<HTMLElement | null>) {
  const pinned = useRef(true);
  /** performance.now() until which a scroll away from the bottom is the person's */
  const personUntil = useRef(0);
  /** the person holds the scrollbar (a pointer pressed on the scroller itself, not on a row) */
  const dragging = useRef(false);
  /** the scrollTop the page's own last scroll left, until the next scroll event */
  const appWrote = useRef<number | null>(null);
  /** `scrollHeight` at the last scroll event or the page's own last scroll (px) */
  const heightBefore = useRef<number | null>(null);
  const [scrolledAway, setScrolledAway] = useState(false);

  const toBottom = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    appWrote.current = element.scrollTop;
    heightBefore.current = element.scrollHeight;
  }, [scroller]);

  const wrote = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    appWrote.current = element.scrollTop;
    heightBefore.current = element.scrollHeight;
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
    const personInput = dragging.current || performance.now() < personUntil.current;
    const cause = { personInput, appWrote: appWrote.current, heightBefore: heightBefore.current };
    const next = followAfterScroll(pinned.current, reading, cause);
    appWrote.current = null;
    heightBefore.current = reading.height;
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
    wrote,
    onScrollKey,
    handlers: { onScroll, onWheel, onTouchMove: personMovesUp, onPointerDown },
  };
}
