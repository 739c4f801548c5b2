/** How close to the bottom still counts as "at the bottom" (px). */
export const STICK_THRESHOLD = 48;

/**
 * How long after a person's input that moves a list up (wheel up, PageUp, a touch drag) a
 * scroll away from the bottom is taken as theirs (ms): smooth scrolling spreads one input
 * over several scroll events, and a busy tab dispatches them late.
 */
export const PERSON_SCROLL_WINDOW_MS = 600;

/** Where a scroll container stands, in px: its `scrollTop`, `scrollHeight` and `clientHeight`. */
export interface ScrollReading {
  top: number;
  height: number;
  viewport: number;
}

/** Following after a scroll event: `pinned` to the bottom or not, and whether to go back there now (`repin`). */
export interface FollowAfterScroll {
  pinned: boolean;
  repin: boolean;
}

/**
 * What a scroll event means for following a stream at the bottom of a list.
 * `pinned`: following before it; `byPerson`: the person moved the list up just before
 * (./use-follow-stream.ts: a wheel up, a scroll key, a touch drag, or a drag of the scrollbar).
 * - At the bottom (within STICK_THRESHOLD): pinned, whoever scrolled.
 * - Away from the bottom by the person: following stops until they come back to the bottom
 *   or ask for it.
 * - Away from the bottom by anything else — the page's own scrolls, the virtualiser
 *   correcting for rows measured above the view, the browser's scroll anchoring keeping a
 *   row in place while the content above it grows (none of which the page can tell apart
 *   by position when several steps arrive in one frame): following goes on as it was, and
 *   if it was on, back to the bottom (`repin`).
 */
export function followAfterScroll(pinned: boolean, reading: ScrollReading, byPerson: boolean): FollowAfterScroll {
  if (reading.height - reading.top - reading.viewport < STICK_THRESHOLD) return { pinned: true, repin: false };
  if (byPerson) return { pinned: false, repin: false };
  return { pinned, repin: pinned };
}

/** A key pressed in a scroll container, as a KeyboardEvent gives it. */
export interface ScrollKey {
  key: string;
  shiftKey: boolean;
}

/**
 * Whether a key the container itself handles (not one the page took) moves its view up,
 * by the browser's default scrolling: PageUp, Home, ArrowUp and Shift+Space.
 */
export function keyScrollsUp({ key, shiftKey }: ScrollKey): boolean {
  return key === "PageUp" || key === "Home" || key === "ArrowUp" || (key === " " && shiftKey);
}
