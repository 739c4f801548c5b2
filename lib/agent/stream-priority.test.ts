import { expect, test } from "vitest";
import { TURN_BUDGET_MS, yieldToStreams } from "./stream-priority";

/** Busy-waits `ms` milliseconds: a run's synchronous between-turn work. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning
  }
}

test("waiters queued together go in one event-loop turn while their work fits the budget", async () => {
  const order: string[] = [];
  const first = yieldToStreams().then(() => order.push("run 1"));
  const second = yieldToStreams().then(() => order.push("run 2"));
  const third = yieldToStreams().then(() => order.push("run 3"));
  setImmediate(() => order.push("a delta"));
  await Promise.all([first, second, third]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(["run 1", "run 2", "run 3", "a delta"]);
});

test("a waiter whose work overruns TURN_BUDGET_MS ends its turn: the rest wait for the next one, after the sockets", async () => {
  const order: string[] = [];
  const runs = [1, 2, 3, 4].map((n) =>
    yieldToStreams().then(() => {
      order.push(`run ${n}`);
      work(TURN_BUDGET_MS * 1.5);
    }),
  );
  setImmediate(() => order.push("a delta"));
  await Promise.all(runs);
  expect(order.slice(0, 3)).toEqual(["run 1", "a delta", "run 2"]);
});

test("a waiter queued during a turn waits for the next one: one run's between-turn steps never share a turn", async () => {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const turns: number[] = [];
  await yieldToStreams();
  turns.push(turn);
  await yieldToStreams();
  turns.push(turn);
  running = false;
  expect(turns[1]).toBeGreaterThan(turns[0] as number);
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
