import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import type { StepNode } from "@/lib/steps/types";
import { ResultBadge, ToolResultBody } from "./tool-result-body";

const result = (status: StepNode["status"], content: string): StepNode => ({
  id: "r1",
  sessionId: "s1",
  parentId: "c1",
  runId: "run1",
  kind: "tool_result",
  origin: "model",
  status,
  content,
  turn: 3,
  providerData: { toolName: "run_tests" },
  editedFromId: null,
  inputTokens: null,
  outputTokens: null,
  reasoningTokens: null,
  costUsd: null,
  createdAt: "2026-12-01T17:00:00.000Z",
  firstTokenAt: null,
  finishedAt: null,
});

const badge = (step: StepNode) => renderToStaticMarkup(createElement(ResultBadge, { step }));
const body = (step: StepNode) => renderToStaticMarkup(createElement(ToolResultBody, { step }));

test("a tool result cut off by a stop is not 'ok' with '(no output)': it says the call never ran", () => {
  // SIGTERM (or Stop) while the model's run_tests ran: the row read "ok", "interrupted", "(no output)"
  const cut = result("interrupted", "");
  expect(badge(cut)).toBe("");
  expect(body(cut)).toContain("The run stopped before this finished. The model is told the call never ran.");
  expect(body(cut)).not.toContain("(no output)");
});

test("a finished result keeps its ok/error badge and its text", () => {
  expect(badge(result("done", "Wrote a.py"))).toContain("ok");
  expect(body(result("done", "Wrote a.py"))).toContain("Wrote a.py");
  expect(badge({ ...result("done", "boom"), providerData: { toolName: "read_file", isError: true } })).toContain(
    "error",
  );
  expect(body(result("done", ""))).toContain("(no output)");
});
