/** How close to the bottom still counts as "at the bottom" (px). */
export const STICK_THRESHOLD = 48;

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
 * `pinned`: following before it; `appWrote`: the `scrollTop` the page's own last scroll
 * left (its following, or the virtualiser correcting for a row measured above the view),
 * null when nothing of the page's scrolled since the last event.
 * - At the bottom (within STICK_THRESHOLD): pinned.
 * - Where the page's own scroll left it: following goes on as it was, and if it was on and
 *   the view is now away from the bottom, back to the bottom (`repin`). Several steps
 *   arriving in one frame make the virtualiser correct from an offset read before the
 *   page followed them, which lands above the bottom: that is no reason to stop.
 * - Anywhere else: someone else scrolled (the person: wheel, keys, scrollbar, touch), and
 *   following stops until they come back to the bottom or ask for it.
 */
export function followAfterScroll(pinned: boolean, reading: ScrollReading, appWrote: number | null): FollowAfterScroll {
  if (reading.height - reading.top - reading.viewport < STICK_THRESHOLD) return { pinned: true, repin: false };
  if (appWrote !== null && Math.abs(reading.top - appWrote) <= 1) return { pinned, repin: pinned };
  return { pinned: false, repin: false };
}
