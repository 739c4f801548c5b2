import { processState } from "@/lib/process-state";

/**
 * Deltas first. A run between turns (accounting for the turn, running tools, building the
 * next request) has a millisecond or so of work that can wait; the deltas other runs are
 * streaming cannot. Runs that start or finish turns together — common, since a team starts
 * runs together and the same scenario paces them alike — would otherwise queue all their
 * between-turn work ahead of every delta that arrives meanwhile.
 *
 * `yieldToStreams()` resolves in a later event-loop turn, one waiter per turn: between two
 * waiters, Node polls the sockets, so a delta waits behind at most one run's between-turn
 * work, not all of them.
 */

/** The runs waiting for their turn, first come first served, and whether a release is scheduled. */
export interface StreamWaiters {
  waiting: Array<() => void>;
  scheduled: boolean;
}

// One queue per process, whichever route bundle's copy of this module a run's code came from.
const state = processState();
state.streamWaiters ??= { waiting: [], scheduled: false };
const waiters = state.streamWaiters;

export function yieldToStreams(): Promise<void> {
  return new Promise((resolve) => {
    waiters.waiting.push(resolve);
    if (!waiters.scheduled) {
      waiters.scheduled = true;
      setImmediate(releaseNext);
    }
  });
}

function releaseNext(): void {
  waiters.waiting.shift()?.();
  if (waiters.waiting.length > 0) setImmediate(releaseNext);
  else waiters.scheduled = false;
}
