import { expect, test, vi } from "vitest";
import { retryWrite } from "./run-settle";

const quick = { attempts: 3, firstDelayMs: 1 };

test("a write that fails is retried with backoff until it succeeds", async () => {
  vi.spyOn(console, "error").mockImplementation(() => {});
  let calls = 0;
  const write = async () => {
    calls += 1;
    if (calls < 3) throw new Error("connection reset");
    return "written";
  };
  await expect(retryWrite("r1", "record the end", write, quick)).resolves.toBe("written");
  expect(calls).toBe(3);
  vi.restoreAllMocks();
});

test("the retries are bounded: after the last try it gives up, having logged each failure", async () => {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  let calls = 0;
  const write = async () => {
    calls += 1;
    throw new Error("database unreachable");
  };
  await expect(retryWrite("r2", "record the end", write, quick)).resolves.toBeUndefined();
  expect(calls).toBe(3);
  expect(logged.mock.calls.map((call) => call[0])).toEqual([
    "[run r2] internal:database: could not record the end (try 1/3, retrying in 1 ms)",
    "[run r2] internal:database: could not record the end (try 2/3, retrying in 2 ms)",
    "[run r2] internal:database: could not record the end (try 3/3, giving up; its lease will lapse)",
  ]);
  vi.restoreAllMocks();
});
