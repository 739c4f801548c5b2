/**
 * A page tells the header's review count that something it shows may have changed (a
 * comment written or resolved, a branch review given, a run paused or decided), so the
 * count is fetched again at once rather than at its next interval. A window event: the
 * header and the session page are separate trees.
 */
const REVIEW_CHANGED = "interleave:review-changed";

/** Something that waits for review may have changed. */
export function announceReviewChange() {
  if (typeof window !== "undefined") window.dispatchEvent(new Event(REVIEW_CHANGED));
}

/** Calls `listener` on each announcement; returns the unsubscribe. */
export function onReviewChange(listener: () => void): () => void {
  window.addEventListener(REVIEW_CHANGED, listener);
  return () => window.removeEventListener(REVIEW_CHANGED, listener);
}
