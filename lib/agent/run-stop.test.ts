import { expect, test, vi } from "vitest";
import { AppError } from "@/lib/http/errors";
import { ModelCallError } from "@/lib/model/minimax";
import { FINISHED, isRunStop, type RunStop, runOutcome, STOPPED } from "./run-stop";

const running = () => new AbortController().signal;
const aborted = (reason: unknown) => {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
};

test("a loop that returned: finished, or the limit it met", () => {
  expect(runOutcome({ stop: null }, running())).toEqual(FINISHED);
  expect(runOutcome({ stop: { kind: "turn_limit", maxTurns: 5 } }, running())).toMatchObject({
    status: "done",
    errorCode: "limit:max_turns",
    errorMessage: expect.stringContaining("Stopped after 5 turns"),
  });
  expect(
    runOutcome({ stop: { kind: "output_limit", maxOutputTokens: 16_384, cutIn: "tool_call" } }, running()),
  ).toMatchObject({
    status: "done",
    errorCode: "limit:max_tokens",
    errorMessage: expect.stringMatching(/16,384.*a tool call/),
  });
  // a stop that arrives after the model finished does not undo the finish
  expect(runOutcome({ stop: null }, aborted(STOPPED))).toEqual(FINISHED);
});

test("a loop that broke off because it was aborted ends as the abort's reason says", () => {
  const cases: [RunStop, string, string][] = [
    [STOPPED, "cancelled", "cancelled:run"],
    [{ kind: "shutdown" }, "failed", "unavailable:shutdown"],
    [{ kind: "unsaved_steps" }, "failed", "internal:database"],
  ];
  for (const [stop, status, errorCode] of cases) {
    // whatever the loop threw as it broke off (the fetch's AbortError, the reason itself)
    expect(runOutcome({ error: new Error("aborted") }, aborted(stop))).toMatchObject({ status, errorCode });
  }
  // a stop made by another copy of the module is plain data too
  expect(runOutcome({ error: null }, aborted(JSON.parse('{"kind":"shutdown"}')))).toMatchObject({
    errorCode: "unavailable:shutdown",
  });
  expect(isRunStop({ kind: "reboot" })).toBe(false);
});

test("a failure is recorded as the model's error, an AppError's code, or internal:run", () => {
  const model = new ModelCallError({ code: "rate_limit", message: "MiniMax rate limit reached (429)." });
  expect(runOutcome({ error: model }, running())).toEqual({
    status: "failed",
    errorCode: "upstream:rate_limit",
    errorMessage: "MiniMax rate limit reached (429).",
  });
  const app = new AppError("bad_request:model", "That model isn't configured.");
  expect(runOutcome({ error: app }, running())).toMatchObject({ errorCode: "bad_request:model" });
  vi.spyOn(console, "error").mockImplementation(() => {});
  expect(runOutcome({ error: new TypeError("x is undefined") }, running())).toMatchObject({
    status: "failed",
    errorCode: "internal:run",
    errorMessage: "The run failed unexpectedly: x is undefined",
  });
  vi.restoreAllMocks();
});
