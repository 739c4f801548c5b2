/** How close to the bottom still counts as "at the bottom" (px). */
export const STICK_THRESHOLD = 48;

/**
 * How long after a person's input that moves a list up (wheel up, PageUp, a touch drag) a
 * scroll away from the bottom is taken as theirs (ms): smooth scrolling spreads one input
 * over several scroll events, and a busy tab dispatches them late.
 */
export const PERSON_SCROLL_WINDOW_MS = 1_000;

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

/** What came before a scroll event, as ./use-follow-stream.ts saw it. */
export interface ScrollCause {
  /** the person moved the view up just before: a wheel up, a scroll key, a touch drag, the scrollbar held */
  personInput: boolean;
  /** the `scrollTop` the page's own last scroll left (its following, the virtualiser's correction), until the next scroll event; null: none */
  appWrote: number | null;
  /** the list's `scrollHeight` at the previous scroll event or the page's own last scroll (px); null: none yet */
  heightBefore: number | null;
}

/**
 * What a scroll event means for following a stream at the bottom of a list.
 * `pinned`: following before it.
 * - At the bottom (within STICK_THRESHOLD): pinned, whoever scrolled.
 * - Away from the bottom after the person's own input: following stops until they come back
 *   to the bottom or ask for it.
 * - Away from the bottom where the page's own last scroll left it (several steps arriving
 *   in one frame make the virtualiser correct from an offset read before the page followed
 *   them), or while the list's height changed (the browser's scroll anchoring keeping a row
 *   in place as the content around it grows, which no write of the page's explains):
 *   following goes on as it was, and if it was on, back to the bottom (`repin`).
 * - Away from the bottom with the height as it was and no input: the view was moved to
 *   something (find in page, a screen reader, a script): following stops.
 */
export function followAfterScroll(pinned: boolean, reading: ScrollReading, cause: ScrollCause): FollowAfterScroll {
  if (reading.height - reading.top - reading.viewport < STICK_THRESHOLD) return { pinned: true, repin: false };
  if (cause.personInput) return { pinned: false, repin: false };
  if (cause.appWrote !== null && Math.abs(reading.top - cause.appWrote) <= 1) return { pinned, repin: pinned };
  if (cause.heightBefore !== null && cause.heightBefore !== reading.height) return { pinned, repin: pinned };
  return { pinned: false, repin: false };
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
