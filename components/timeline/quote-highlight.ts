"use client";

import { type RefObject, useEffect } from "react";
import { locateQuote } from "@/lib/comments/anchor";

/** The name of the highlight the stylesheet paints (app/globals.css `::highlight(comment-quote)`). */
const HIGHLIGHT = "comment-quote";

/** The DOM range covering characters `start`..`end` of the text under `root`; null when they are not there. */
function domRange(root: Node, start: number, end: number): Range | null {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent?.length ?? 0;
    if (!started && start < seen + length) {
      range.setStart(node, start - seen);
      started = true;
    }
    if (started && end <= seen + length) {
      range.setEnd(node, end - seen);
      return range;
    }
    seen += length;
  }
  return null;
}

/**
 * Paints the text the step's open threads quote, where it shows in the rendered step —
 * the first element of the one `beside` (the step's threads) is in: each quote is found in the text on the page as a
 * selection is (locateQuote: exactly, else with any whitespace), so markdown that
 * rendered differently is simply not painted. The CSS Custom Highlight API: no element is
 * added to the step's markup. A browser without it paints nothing.
 */
export function useQuoteHighlights(beside: RefObject<HTMLElement | null>, quotes: readonly string[]) {
  const key = quotes.join("\u0000");
  useEffect(() => {
    const root = beside.current?.parentElement?.firstElementChild;
    if (!root || key === "" || typeof CSS === "undefined" || !("highlights" in CSS)) return;
    const text = root.textContent ?? "";
    const ranges = key
      .split("\u0000")
      .map((quote) => locateQuote(text, quote))
      .flatMap((at) => (at ? [domRange(root, at.start, at.end)] : []))
      .filter((range): range is Range => range !== null);
    if (ranges.length === 0) return;
    CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges));
    return () => {
      CSS.highlights.delete(HIGHLIGHT);
    };
  }, [beside, key]);
}
