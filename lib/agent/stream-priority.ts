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

const waiting: Array<() => void> = [];
let scheduled = false;

export function yieldToStreams(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setImmediate(releaseNext);
    }
  });
}

function releaseNext(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(releaseNext);
  else scheduled = false;
}
