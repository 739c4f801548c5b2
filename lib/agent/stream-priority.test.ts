import { expect, test } from "vitest";
import { TURN_BUDGET_MS, yieldToStreams } from "./stream-priority";

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // work that holds the event loop, as a run's between-turn accounting does
  }
}

test("waiters whose work is cheap all resume in one event-loop turn, before the next socket poll", async () => {
  const order: string[] = [];
  const runs = [1, 2, 3].map((n) => yieldToStreams().then(() => order.push(`run ${n}`)));
  setImmediate(() => order.push("a delta"));
  await Promise.all(runs);
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(["run 1", "run 2", "run 3", "a delta"]);
});

test("once a turn's waiters have worked for the budget, the rest wait until other work has had its turn", async () => {
  const order: string[] = [];
  const runs = [1, 2, 3].map((n) =>
    yieldToStreams().then(() => {
      order.push(`run ${n}`);
      busy(TURN_BUDGET_MS + 1);
    }),
  );
  setImmediate(() => order.push("a delta"));
  await Promise.all(runs);
  expect(order).toEqual(["run 1", "a delta", "run 2", "run 3"]);
});

test("nothing waits synchronously: a waiter resumes after the current task", async () => {
  let resumed = false;
  const waiting = yieldToStreams().then(() => {
    resumed = true;
  });
  await Promise.resolve();
  expect(resumed).toBe(false);
  await waiting;
  expect(resumed).toBe(true);
});
