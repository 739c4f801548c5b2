import { describe, expect, test } from "vitest";
import { followAfterScroll, STICK_THRESHOLD } from "./follow-scroll";

const viewport = 600;
/** a reading `away` px above the bottom of a 5,000 px list */
const at = (away: number) => ({ top: 5_000 - viewport - away, height: 5_000, viewport });

describe("followAfterScroll", () => {
  test("at the bottom (or nearly) it follows, whoever scrolled", () => {
    expect(followAfterScroll(false, at(0), null)).toEqual({ pinned: true, repin: false });
    expect(followAfterScroll(false, at(STICK_THRESHOLD - 1), null)).toEqual({ pinned: true, repin: false });
    expect(followAfterScroll(true, at(10), at(10).top)).toEqual({ pinned: true, repin: false });
  });

  test("the page's own scroll away from the bottom while following (a burst of steps in one frame) goes back to the bottom", () => {
    const corrected = at(900);
    expect(followAfterScroll(true, corrected, corrected.top)).toEqual({ pinned: true, repin: true });
    // the browser reports the offset rounded
    expect(followAfterScroll(true, corrected, corrected.top + 0.5)).toEqual({ pinned: true, repin: true });
  });

  test("the page's own scroll while not following leaves it not following", () => {
    const moved = at(900);
    expect(followAfterScroll(false, moved, moved.top)).toEqual({ pinned: false, repin: false });
  });

  test("anyone else's scroll away from the bottom stops following", () => {
    expect(followAfterScroll(true, at(300), null)).toEqual({ pinned: false, repin: false });
    // the person scrolled after the page's own write, in the same frame
    expect(followAfterScroll(true, at(300), at(0).top)).toEqual({ pinned: false, repin: false });
  });
});
