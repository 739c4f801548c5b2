/**
 * When the session stream's queued messages are applied (use-session-stream.ts): in
 * batches, on an animation frame and at most one per `minIntervalMs` while the tab is
 * visible; on a timer while it is hidden, since a hidden tab gets no animation frames. A
 * pause that ends in a hidden tab applies at once rather than ask for a frame, and a
 * visibility change applies whatever waits: a frame asked for just before the tab was
 * hidden would otherwise come only when it is shown again, the state stale on return for
 * that moment and messages piling up meanwhile. Pure: the clock, timers, frames and the
 * page's visibility are given, so the tests drive them.
 */

/** What the schedule reads and asks of the page (the browser's, in use-session-stream.ts). */
export interface BatchEnvironment {
  now(): number;
  /** the page is hidden (document.hidden): it gets no animation frames */
  hidden(): boolean;
  setTimer(run: () => void, ms: number): number;
  clearTimer(handle: number): void;
  requestFrame(run: () => void): number;
  cancelFrame(handle: number): void;
}

export interface BatchSchedule {
  /** a message was queued: apply it (with any others) at the next batch */
  schedule(): void;
  /** the page was hidden or shown (visibilitychange) */
  visibilityChanged(): void;
  /** nothing more: cancel what is pending */
  dispose(): void;
}

export function batchSchedule(
  flush: () => void,
  env: BatchEnvironment,
  { minIntervalMs = 100, hiddenIntervalMs = 250 }: { minIntervalMs?: number; hiddenIntervalMs?: number } = {},
): BatchSchedule {
  let frame: number | undefined;
  let timer: number | undefined;
  let flushedAt = Number.NEGATIVE_INFINITY;

  const cancel = () => {
    if (frame !== undefined) env.cancelFrame(frame);
    if (timer !== undefined) env.clearTimer(timer);
    frame = undefined;
    timer = undefined;
  };
  const run = () => {
    cancel();
    flushedAt = env.now();
    flush();
  };

  return {
    schedule() {
      if (frame !== undefined || timer !== undefined) return;
      if (env.hidden()) {
        timer = env.setTimer(run, hiddenIntervalMs);
        return;
      }
      const wait = flushedAt + minIntervalMs - env.now();
      if (wait <= 0) {
        frame = env.requestFrame(run);
        return;
      }
      timer = env.setTimer(() => {
        timer = undefined;
        // hidden since the pause began (its visibilitychange not heard yet): no frame would come
        if (env.hidden()) run();
        else frame = env.requestFrame(run);
      }, wait);
    },
    visibilityChanged() {
      // hidden: a frame asked for won't come; shown: a hidden tab's timer may be a second away (throttled)
      if (frame !== undefined || timer !== undefined) run();
    },
    dispose: cancel,
  };
}
