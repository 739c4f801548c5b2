import { performance } from "node:perf_hooks";
import { processState } from "@/lib/process-state";

/**
 * Deltas first. A run between turns (accounting for the turn, running tools, building the
 * next request) has a millisecond or so of work that can wait; the deltas other runs are
 * streaming cannot. Runs that start or finish turns together — common, since a team starts
 * runs together and the same scenario paces them alike — would otherwise queue all their
 * between-turn work ahead of every delta that arrives meanwhile.
 *
 * `yieldToStreams()` resolves in a later event-loop turn. A turn releases the waiters that
 * were queued when it began, first come first served, until their synchronous work has
 * taken `TURN_BUDGET_MS`; the rest, and every waiter queued during the turn, wait for the
 * next one, and between two turns Node polls the sockets. So:
 * - a delta waits behind at most about one budget of between-turn work, not all of it;
 * - a burst of starts is not spread over one busy loop turn each (at 200 runs, one waiter
 *   per turn made the last run's first step wait 400 turns of a loop full of deltas);
 * - one run's consecutive between-turn steps never share a turn (a waiter it queues while
 *   being released waits for the next turn), so its step events reach viewers paced as
 *   before, not in a burst.
 */

/** The runs waiting for their turn, first come first served, and whether a release is scheduled. */
export interface StreamWaiters {
  waiting: Array<() => void>;
  scheduled: boolean;
}

/** Milliseconds of waiters' synchronous work one event-loop turn may run before the sockets are polled again. */
export const TURN_BUDGET_MS = 2;

// One queue per process, whichever route bundle's copy of this module a run's code came from.
const state = processState();
state.streamWaiters ??= { waiting: [], scheduled: false };
const waiters = state.streamWaiters;

/** Resolves in a later event-loop turn, after the waiters queued before it (see above). */
export function yieldToStreams(): Promise<void> {
  return new Promise((resolve) => {
    waiters.waiting.push(resolve);
    if (!waiters.scheduled) {
      waiters.scheduled = true;
      setImmediate(releaseTurn);
    }
  });
}

function releaseTurn(): void {
  const started = performance.now();
  let due = waiters.waiting.length;
  const releaseOne = (): void => {
    due -= 1;
    waiters.waiting.shift()?.();
    // queued behind the released waiter's continuation, so this runs once its synchronous work is done
    queueMicrotask(() => {
      if (due > 0 && performance.now() - started < TURN_BUDGET_MS) releaseOne();
      else if (waiters.waiting.length > 0) setImmediate(releaseTurn);
      else waiters.scheduled = false;
    });
  };
  releaseOne();
}
