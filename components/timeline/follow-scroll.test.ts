import { describe, expect, test } from "vitest";
import { followAfterScroll, keyScrollsUp, STICK_THRESHOLD } from "./follow-scroll";

const viewport = 600;
/** a reading `away` px above the bottom of a 5,000 px list */
const at = (away: number) => ({ top: 5_000 - viewport - away, height: 5_000, viewport });

const input = { personInput: true, appWrote: null, heightBefore: 5_000 };
/** no input nor write of the page's, and the list was `height` px high before */
const grown = (height: number) => ({ personInput: false, appWrote: null, heightBefore: height });
/** the page's own last scroll left the view at `top`, the list's height unchanged */
const wrote = (top: number) => ({ personInput: false, appWrote: top, heightBefore: 5_000 });

describe("followAfterScroll", () => {
  test("at the bottom (or nearly) it follows, whoever scrolled", () => {
    expect(followAfterScroll(false, at(0), grown(5_000))).toEqual({ pinned: true, repin: false });
    expect(followAfterScroll(false, at(STICK_THRESHOLD - 1), input)).toEqual({ pinned: true, repin: false });
    expect(followAfterScroll(true, at(10), input)).toEqual({ pinned: true, repin: false });
  });

  test("a scroll away from the bottom as the list grew (the virtualiser's correction, the browser's scroll anchoring) goes back to the bottom while following", () => {
    expect(followAfterScroll(true, at(354), grown(4_619))).toEqual({ pinned: true, repin: true });
    expect(followAfterScroll(true, at(STICK_THRESHOLD), grown(5_200))).toEqual({ pinned: true, repin: true });
  });

  test("the page's own scroll away from the bottom while following (the virtualiser's correction from an offset read before a burst) goes back to the bottom", () => {
    expect(followAfterScroll(true, at(900), wrote(at(900).top))).toEqual({ pinned: true, repin: true });
    // the browser reports the offset rounded
    expect(followAfterScroll(true, at(900), wrote(at(900).top + 0.5))).toEqual({ pinned: true, repin: true });
    expect(followAfterScroll(false, at(900), wrote(at(900).top))).toEqual({ pinned: false, repin: false });
    // the person's input wins over a write in the same frame
    expect(followAfterScroll(true, at(300), { ...wrote(at(300).top), personInput: true })).toEqual({
      pinned: false,
      repin: false,
    });
  });

  test("such a scroll while not following leaves it not following", () => {
    expect(followAfterScroll(false, at(900), grown(4_000))).toEqual({ pinned: false, repin: false });
  });

  test("the person's scroll away from the bottom stops following, even as the list grows", () => {
    expect(followAfterScroll(true, at(300), input)).toEqual({ pinned: false, repin: false });
    expect(followAfterScroll(true, at(300), { ...input, heightBefore: 4_000 })).toEqual({
      pinned: false,
      repin: false,
    });
  });

  test("a scroll with no input and the list's height unchanged (find in page, a screen reader) stops following", () => {
    expect(followAfterScroll(true, at(2_000), grown(5_000))).toEqual({ pinned: false, repin: false });
    // a write of the page's elsewhere does not explain it
    expect(followAfterScroll(true, at(2_000), wrote(at(0).top))).toEqual({ pinned: false, repin: false });
    expect(followAfterScroll(true, at(2_000), { ...grown(5_000), heightBefore: null })).toEqual({
      pinned: false,
      repin: false,
    });
  });
});

describe("keyScrollsUp", () => {
  test("PageUp, Home, ArrowUp and Shift+Space move a view up", () => {
    for (const key of ["PageUp", "Home", "ArrowUp"]) expect(keyScrollsUp({ key, shiftKey: false })).toBe(true);
    expect(keyScrollsUp({ key: " ", shiftKey: true })).toBe(true);
  });

  test("keys that move it down, or don't scroll, do not", () => {
    for (const key of ["PageDown", "End", "ArrowDown", " ", "a", "Enter"]) {
      expect(keyScrollsUp({ key, shiftKey: false })).toBe(false);
    }
  });
});
