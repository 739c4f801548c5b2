import { describe, expect, test } from "vitest";
import { type BatchEnvironment, batchSchedule } from "./batch-schedule";

/**
 * A page with a clock, timers and animation frames the test moves: frames come only while
 * the page is visible (as browsers do), timers at their time whatever the visibility.
 */
function fakePage() {
  let now = 0;
  let hidden = false;
  let next = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  const frames = new Map<number, () => void>();
  const env: BatchEnvironment = {
    now: () => now,
    hidden: () => hidden,
    setTimer: (run, ms) => {
      timers.set(next, { at: now + ms, run });
      return next++;
    },
    clearTimer: (handle) => void timers.delete(handle),
    requestFrame: (run) => {
      frames.set(next, run);
      return next++;
    },
    cancelFrame: (handle) => void frames.delete(handle),
  };
  /** `ms` pass: due timers fire in order, and a frame comes every 16 ms while visible */
  const advance = (ms: number) => {
    const end = now + ms;
    while (now < end) {
      now = Math.min(end, now + 16);
      for (const [handle, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > now) continue;
        timers.delete(handle);
        timer.run();
      }
      if (hidden) continue;
      const due = [...frames];
      frames.clear();
      for (const [, run] of due) run();
    }
  };
  return {
    env,
    advance,
    setHidden: (value: boolean) => {
      hidden = value;
    },
    pending: () => ({ timers: timers.size, frames: frames.size }),
  };
}

function setup() {
  const page = fakePage();
  const flushes: number[] = [];
  const schedule = batchSchedule(() => flushes.push(page.env.now()), page.env);
  return { page, flushes, schedule };
}

describe("batchSchedule", () => {
  test("visible: on the next frame, then at most one batch per 100 ms", () => {
    const { page, flushes, schedule } = setup();
    schedule.schedule();
    schedule.schedule();
    page.advance(16);
    expect(flushes).toEqual([16]);
    schedule.schedule();
    page.advance(200);
    expect(flushes).toHaveLength(2);
    expect((flushes[1] as number) - (flushes[0] as number)).toBeGreaterThanOrEqual(100);
    expect(page.pending()).toEqual({ timers: 0, frames: 0 });
  });

  test("hidden: applied on a timer, no frame needed", () => {
    const { page, flushes, schedule } = setup();
    page.setHidden(true);
    schedule.schedule();
    page.advance(300);
    expect(flushes).toHaveLength(1);
    expect(page.pending()).toEqual({ timers: 0, frames: 0 });
  });

  test("hidden during the 100 ms pause: the batch is applied when the pause ends, not when the tab is shown again", () => {
    const { page, flushes, schedule } = setup();
    schedule.schedule();
    page.advance(16);
    expect(flushes).toHaveLength(1);
    schedule.schedule(); // within 100 ms of the last batch: a pause first
    page.setHidden(true); // no visibilitychange heard yet
    page.advance(1_000);
    expect(flushes).toHaveLength(2);
    // and the next message is not stuck behind a frame that never comes
    schedule.schedule();
    page.advance(1_000);
    expect(flushes).toHaveLength(3);
    expect(page.pending()).toEqual({ timers: 0, frames: 0 });
  });

  test("hidden with a frame asked for: visibilitychange applies the batch at once", () => {
    const { page, flushes, schedule } = setup();
    schedule.schedule();
    page.setHidden(true);
    schedule.visibilityChanged();
    expect(flushes).toHaveLength(1);
    page.advance(1_000);
    expect(flushes).toHaveLength(1);
    expect(page.pending()).toEqual({ timers: 0, frames: 0 });
  });

  test("shown again with a hidden tab's batch waiting: applied at once, the state current on return", () => {
    const { page, flushes, schedule } = setup();
    page.setHidden(true);
    schedule.schedule();
    page.setHidden(false);
    schedule.visibilityChanged();
    expect(flushes).toEqual([0]);
    page.advance(1_000);
    expect(flushes).toHaveLength(1);
    // visible again: frames, as before
    schedule.schedule();
    page.advance(200);
    expect(flushes).toHaveLength(2);
  });

  test("nothing waiting: a visibility change applies nothing; dispose cancels what waits", () => {
    const { page, flushes, schedule } = setup();
    schedule.visibilityChanged();
    expect(flushes).toEqual([]);
    schedule.schedule();
    schedule.dispose();
    page.advance(1_000);
    expect(flushes).toEqual([]);
    expect(page.pending()).toEqual({ timers: 0, frames: 0 });
  });
});
