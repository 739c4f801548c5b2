import { describe, expect, test } from "vitest";
import { followAfterScroll, keyScrollsUp, STICK_THRESHOLD } from "./follow-scroll";

const viewport = 600;
/** a reading `away` px above the bottom of a 5,000 px list */
const at = (away: number) => ({ top: 5_000 - viewport - away, height: 5_000, viewport });

describe("followAfterScroll", () => {
  test("at the bottom (or nearly) it follows, whoever scrolled", () => {
    expect(followAfterScroll(false, at(0), false)).toEqual({ pinned: true, repin: false });
    expect(followAfterScroll(false, at(STICK_THRESHOLD - 1), true)).toEqual({ pinned: true, repin: false });
    expect(followAfterScroll(true, at(10), true)).toEqual({ pinned: true, repin: false });
  });

  test("a scroll away from the bottom that is not the person's (the virtualiser's correction, the browser's scroll anchoring) goes back to the bottom while following", () => {
    expect(followAfterScroll(true, at(900), false)).toEqual({ pinned: true, repin: true });
    expect(followAfterScroll(true, at(STICK_THRESHOLD), false)).toEqual({ pinned: true, repin: true });
  });

  test("a scroll that is not the person's, while not following, leaves it not following", () => {
    expect(followAfterScroll(false, at(900), false)).toEqual({ pinned: false, repin: false });
  });

  test("the person's scroll away from the bottom stops following", () => {
    expect(followAfterScroll(true, at(300), true)).toEqual({ pinned: false, repin: false });
    expect(followAfterScroll(false, at(300), true)).toEqual({ pinned: false, repin: false });
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
