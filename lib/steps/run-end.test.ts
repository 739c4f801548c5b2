import { describe, expect, it } from "vitest";
import { describeRunEnd, keptNote, type RunNextAction, type RunStopReason, runStopReason } from "./run-end";
import type { RunStatus } from "./types";

describe("runStopReason", () => {
  const table: [RunStatus, string | null, RunStopReason, RunNextAction][] = [
    ["queued", null, "active", null],
    ["running", null, "active", null],
    ["done", null, "done", null],
    ["done", "limit:max_turns", "turn_limit", "continue"],
    ["done", "limit:max_tokens", "output_limit", "continue"],
    ["cancelled", "cancelled:run", "stopped", "continue"],
    ["failed", "upstream:empty", "empty", "retry"],
    ["failed", "unavailable:shutdown", "interrupted", "retry"],
    ["failed", "internal:restart", "interrupted", "retry"],
    ["failed", "unavailable:server_stopped", "interrupted", "retry"],
    ["failed", "upstream:payment", "failed", "retry"],
    ["failed", "internal:database", "failed", "retry"],
    ["failed", null, "failed", "retry"],
  ];
  for (const [status, errorCode, reason, action] of table) {
    it(`${status} ${errorCode ?? "(no code)"} → ${reason}, offers ${action ?? "nothing"}`, () => {
      expect(runStopReason({ status, errorCode })).toBe(reason);
      expect(describeRunEnd({ status, errorCode }).action).toBe(action);
    });
  }

  it("labels keep the plain status word first, and say why", () => {
    expect(describeRunEnd({ status: "done", errorCode: null }).label).toBe("Done");
    expect(describeRunEnd({ status: "done", errorCode: "limit:max_tokens" })).toMatchObject({
      label: "Done · output cut",
      headline: "Output cut at the token limit.",
    });
    expect(describeRunEnd({ status: "failed", errorCode: "upstream:empty" })).toMatchObject({
      label: "Failed · empty reply",
      headline: "The run failed.",
    });
    expect(describeRunEnd({ status: "awaiting_approval", errorCode: null }).label).toBe("Waiting for approval");
    expect(describeRunEnd({ status: "queued", errorCode: null }).label).toBe("Queued");
    expect(describeRunEnd({ status: "done", errorCode: null }).headline).toBeNull();
    // every viewer reads it, whoever pressed Stop (a teammate, a bot, a suite run's Stop)
    expect(describeRunEnd({ status: "cancelled", errorCode: "cancelled:run" }).headline).toBe("Stopped.");
  });
});

describe("keptNote", () => {
  it("is said after a failure's message unless the message says what is kept", () => {
    expect(keptNote({ errorCode: "upstream:payment" })).toBe("Every step streamed before the error is kept.");
    expect(keptNote({ errorCode: "unavailable:shutdown" })).toBe("Every step streamed before the error is kept.");
    expect(keptNote({ errorCode: null })).toBe("Every step streamed before the error is kept.");
    // "…Every step streamed so far is kept; Retry continues from there." said it twice
    expect(keptNote({ errorCode: "unavailable:server_stopped" })).toBeNull();
    // "Some steps could not be saved…": those steps are not kept
    expect(keptNote({ errorCode: "internal:database" })).toBeNull();
  });
});
