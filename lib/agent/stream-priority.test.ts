import { expect, test } from "vitest";
import { yieldToStreams } from "./stream-priority";

test("waiters go one per event-loop turn, with other work in between", async () => {
  const order: string[] = [];
  const first = yieldToStreams().then(() => order.push("run 1"));
  const second = yieldToStreams().then(() => order.push("run 2"));
  const third = yieldToStreams().then(() => order.push("run 3"));
  setImmediate(() => order.push("a delta"));
  await Promise.all([first, second, third]);
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
