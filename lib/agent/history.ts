/**
 * A branch's steps → the provider prompt, keeping MiniMax's interleaved-thinking contract
 * (minimax-wire.md §3): every assistant turn is replayed exactly as the model produced it —
 * thinking with its signature or raw `<think>` slice, text, tool calls with their exact
 * argument strings — and a path that ends inside a turn ends with that turn's assistant
 * message, so the model continues it (a prefill) instead of starting a new one.
 *
 * Provider-specific replay data travels in `providerOptions.minimax`; the MiniMax provider
 * turns it into thinking blocks, `<think>` content or `reasoning_details` per route.
 */
import type {
  JSONObject,
  JSONValue,
  LanguageModelV4Message,
  LanguageModelV4Prompt,
  LanguageModelV4ReasoningPart,
  LanguageModelV4TextPart,
  LanguageModelV4ToolCallPart,
  LanguageModelV4ToolResultPart,
} from "@ai-sdk/provider";
import { parseJsonObject } from "@/lib/json";
import { startingFilesText } from "@/lib/project/starting-prompt";
import { RUN_TESTS_TOOL_NAME } from "@/lib/sandbox/tool";
import { humanFileEdit } from "@/lib/steps/files";
import type { StepNode } from "@/lib/steps/types";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import { PERSON_RUN_AFTER_RESULT, PERSON_RUN_AS_MESSAGE } from "./test-runs";

/** The separator before a person's file save appended to the tool result it follows. */
export const PERSON_EDIT_AFTER_RESULT = "\n\n---\nAfter this result, the person edited ";

type AssistantPart = LanguageModelV4ReasoningPart | LanguageModelV4TextPart | LanguageModelV4ToolCallPart;

const isAssistantKind = (step: StepNode) =>
  step.kind === "thinking" || step.kind === "text" || step.kind === "tool_call";

/** Said to the model for a call that never ran (the branch moved on before it was executed). */
export const NOT_EXECUTED = "Not executed: the run stopped before this tool call ran.";

/**
 * The steps that go into a request. `streaming` and `error` steps are incomplete: never sent.
 * An `interrupted` thinking/text step (the run was stopped mid-stream) is sent only when it
 * is the last one — as unsigned partial text, so the model picks up where it was cut off;
 * anywhere else the branch has moved past it and a half-written block would only mislead.
 * An interrupted tool call or result is never sent: its arguments are cut short.
 */
function replayableSteps(path: readonly StepNode[]): StepNode[] {
  const complete = path.filter((step) => step.status !== "streaming" && step.status !== "error");
  const last = complete[complete.length - 1];
  return complete.filter(
    (step) => step.status !== "interrupted" || (step === last && (step.kind === "thinking" || step.kind === "text")),
  );
}

/** A signature or raw slice only vouches for the model's own, complete text. */
const isUntouchedModelOutput = (step: StepNode) => step.origin === "model" && step.status !== "interrupted";

function withMinimax<Part extends AssistantPart>(part: Part, minimax: JSONObject): Part {
  return Object.keys(minimax).length === 0 ? part : { ...part, providerOptions: { minimax } };
}

function reasoningPart(step: StepNode): LanguageModelV4ReasoningPart {
  const data = step.providerData;
  const minimax: JSONObject = {};
  // reasoningDetails carry the model's original text too, so an edit drops them with the signature.
  if (data && isUntouchedModelOutput(step)) {
    if (data.signature !== undefined) minimax.signature = data.signature;
    if (data.raw !== undefined) minimax.raw = data.raw;
    if (data.reasoningDetails !== undefined) minimax.reasoningDetails = data.reasoningDetails as JSONValue[];
  }
  // where a self-hosted server's reasoning parser put it: about the server, not the text
  if (data?.reasoningField !== undefined) minimax.reasoningField = data.reasoningField;
  return withMinimax({ type: "reasoning", text: step.content }, minimax);
}

function textPart(step: StepNode): LanguageModelV4TextPart | null {
  const raw = isUntouchedModelOutput(step) ? step.providerData?.raw : undefined;
  // An empty text block is rejected by the Anthropic route and says nothing on the OpenAI one.
  if (step.content === "" && raw === undefined) return null;
  return withMinimax({ type: "text", text: step.content }, raw === undefined ? {} : { raw });
}

const callId = (step: StepNode) => step.providerData?.toolCallId ?? step.id;

function toolCallPart(step: StepNode): LanguageModelV4ToolCallPart {
  const toolInput = step.providerData?.toolInput ?? "{}";
  const input = parseJsonObject(toolInput) as JSONObject | undefined;
  const part: LanguageModelV4ToolCallPart = {
    type: "tool-call",
    toolCallId: callId(step),
    toolName: step.providerData?.toolName ?? "unknown",
    input: input ?? {},
  };
  // The exact string is replayed only when it is valid JSON: MiniMax answers a replayed call
  // with unparsable arguments with HTTP 400 (2013, wire §7), which would wedge the branch.
  return input ? withMinimax(part, { toolInput }) : part;
}

/**
 * Another provider's part metadata goes back as the part's providerOptions, for the AI SDK
 * provider to replay by its rules (Anthropic: a signed or redacted thinking block; OpenAI:
 * the reasoning item with its encrypted content). Like a signature, it vouches only for
 * the model's own, complete text: an edited or cut-short step is sent without it.
 */
function withProviderMetadata<Part extends AssistantPart>(part: Part, step: StepNode): Part {
  const metadata = step.providerData?.providerMetadata;
  if (!metadata || !isUntouchedModelOutput(step)) return part;
  return { ...part, providerOptions: { ...(metadata as Record<string, JSONObject>), ...part.providerOptions } };
}

function assistantPart(step: StepNode): AssistantPart | null {
  const part =
    step.kind === "thinking" ? reasoningPart(step) : step.kind === "text" ? textPart(step) : toolCallPart(step);
  return part && withProviderMetadata(part, step);
}

/** A code fence longer than any backtick run in the content, so the content can't close it. */
function fenceFor(content: string): string {
  const longestRun = (content.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 2);
  return "`".repeat(longestRun + 1);
}

/** A person's Run in the editor: a user_note holding a run_tests report. */
export const isPersonTestRun = (step: StepNode) =>
  step.kind === "user_note" && step.providerData?.toolName === RUN_TESTS_TOOL_NAME;

/** "<path> in the editor. Its content is now:" and the content, fenced: a person's save, after who did it. */
function savedFileText(edit: { path: string; content: string }): string {
  const fence = fenceFor(edit.content);
  const body = edit.content === "" || edit.content.endsWith("\n") ? edit.content : `${edit.content}\n`;
  return `${edit.path} in the editor. Its content is now:\n${fence}\n${body}${fence}`;
}

/** "A reviewer (name)": who wrote a comment sent to the model. */
const reviewerOf = (step: StepNode) => `a reviewer (${step.providerData?.comment?.by ?? "unknown"})`;

function userText(step: StepNode, startingText: string): string {
  if (step.kind === "task" && startingText) return `${step.content}\n\n${startingText}`;
  if (isPersonTestRun(step)) return `${PERSON_RUN_AS_MESSAGE}\n${step.content}`;
  if (step.providerData?.comment) return `Comment from ${reviewerOf(step)}:\n${step.content}`;
  const edit = humanFileEdit(step);
  return edit ? `I edited ${savedFileText(edit)}` : step.content;
}

/**
 * What a person's step adds to the tool result it follows, labelled as theirs; null for a
 * step that can't ride in a result (a person's free text is their message).
 */
function personAfterResult(step: StepNode): string | null {
  if (isPersonTestRun(step)) return `${PERSON_RUN_AFTER_RESULT}${step.content}`;
  if (step.providerData?.comment) return `\n\n---\nAfter this result, ${reviewerOf(step)} commented:\n${step.content}`;
  const edit = humanFileEdit(step);
  return edit ? `${PERSON_EDIT_AFTER_RESULT}${savedFileText(edit)}` : null;
}

/**
 * The prompt for continuing the branch that ends at the last step of `path` (root first).
 *
 * - system first; the task and every user note become user messages (a person's file save
 *   is worded as "I edited <path> …" with the new content; the task is followed by the
 *   starting files' list and small files, lib/project/starting-prompt.ts);
 * - thinking/text/tool_call steps of one `turn` form one assistant message, in path order;
 * - consecutive tool results form one tool message;
 * - a person's test run, file save or a reviewer's comment sent to the model that follows a
 *   tool result is appended to that result's
 *   text, labelled as the person's, so no user message closes the model's tool loop (MiniMax's
 *   template drops the thinking of every turn before the last user message); with no tool
 *   result before it, it is a user message ("I ran the tests from the editor: …", "I edited
 *   <path> in the editor …") — `personStepReplay` says which, for the UI;
 * - a call left without a result when the branch moved on gets an error result saying it
 *   never ran (files.ts agrees: unanswered calls change no file), as both routes require
 *   every call to be answered before the next message.
 */
export function buildModelHistory(
  path: readonly StepNode[],
  opts: { system: string; startingFiles?: VirtualFiles },
): LanguageModelV4Prompt {
  const startingText = opts.startingFiles ? startingFilesText(opts.startingFiles) : "";
  const messages: LanguageModelV4Message[] = [{ role: "system", content: opts.system }];
  // the open (last) message, when it can still take parts
  let assistant: { turn: number | null; content: AssistantPart[] } | null = null;
  let results: LanguageModelV4ToolResultPart[] | null = null;
  let unanswered: LanguageModelV4ToolCallPart[] = [];
  const toolNames = new Map<string, string>();

  const toolMessage = (): LanguageModelV4ToolResultPart[] => {
    if (!results) {
      results = [];
      messages.push({ role: "tool", content: results });
      assistant = null;
    }
    return results;
  };
  /** the last result of the tool message still open (the last message), if any */
  const openResult = (): LanguageModelV4ToolResultPart | undefined => results?.at(-1);
  const answerUnanswered = () => {
    const open = unanswered.length > 0 ? toolMessage() : null;
    for (const call of unanswered) {
      open?.push({
        type: "tool-result",
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: { type: "error-text", value: NOT_EXECUTED },
      });
    }
    unanswered = [];
  };

  for (const step of replayableSteps(path)) {
    if (isAssistantKind(step)) {
      const part = assistantPart(step);
      if (!part) continue;
      if (!assistant || assistant.turn !== step.turn) {
        answerUnanswered();
        assistant = { turn: step.turn, content: [] };
        messages.push({ role: "assistant", content: assistant.content });
        results = null;
      }
      assistant.content.push(part);
      if (part.type === "tool-call") {
        toolNames.set(part.toolCallId, part.toolName);
        unanswered.push(part);
      }
    } else if (step.kind === "tool_result") {
      const id = callId(step);
      unanswered = unanswered.filter((call) => call.toolCallId !== id);
      toolMessage().push({
        type: "tool-result",
        toolCallId: id,
        toolName: step.providerData?.toolName ?? toolNames.get(id) ?? "unknown",
        output: step.providerData?.isError
          ? { type: "error-text", value: step.content }
          : { type: "text", value: step.content },
      });
    } else if (openResult() && personAfterResult(step) !== null) {
      const last = openResult() as LanguageModelV4ToolResultPart;
      const output = last.output as { type: "text" | "error-text"; value: string };
      last.output = { type: output.type, value: `${output.value}${personAfterResult(step)}` };
    } else {
      answerUnanswered();
      messages.push({ role: "user", content: [{ type: "text", text: userText(step, startingText) }] });
      assistant = null;
      results = null;
    }
  }
  return messages;
}

/**
 * How a person's test run or file save made after the last step of `path` reaches the model:
 * appended to the tool result it follows ("tool_result"), or as a user message
 * ("user_message", so the model starts a fresh turn) where the history does not end in a
 * tool result. Decided by `buildModelHistory` itself.
 */
export function personStepReplay(path: readonly StepNode[]): "tool_result" | "user_message" {
  return buildModelHistory(path, { system: "" }).at(-1)?.role === "tool" ? "tool_result" : "user_message";
}

/**
 * The tool calls of the path's last assistant turn that have no result yet — the agent runs
 * these before calling the model again. Calls with status `awaiting_approval` are included:
 * the caller must wait for a person's decision on those. Empty when the path ends inside a
 * turn (a thinking or text step: the model still has the word).
 */
export function pendingToolCalls(path: readonly StepNode[]): StepNode[] {
  const steps = replayableSteps(path);
  const last = steps[steps.length - 1];
  if (!last || (last.kind !== "tool_call" && last.kind !== "tool_result")) return [];
  const answered = new Set<string>();
  const pending: StepNode[] = [];
  let turn: number | null | undefined;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i] as StepNode;
    if (step.kind === "tool_result") {
      answered.add(callId(step));
      continue;
    }
    if (!isAssistantKind(step)) break;
    if (turn === undefined) turn = step.turn;
    else if (step.turn !== turn) break;
    if (step.kind === "tool_call" && !answered.has(callId(step))) pending.unshift(step);
  }
  return pending;
}

/**
 * The `turn` for the steps the model generates next: the open turn when the path ends inside
 * one (a prefill continues it), otherwise one past the last turn on the path.
 */
export function nextTurnNumber(path: readonly StepNode[]): number {
  const steps = replayableSteps(path);
  const last = steps[steps.length - 1];
  if (last && (last.kind === "thinking" || last.kind === "text") && last.turn !== null) return last.turn;
  return steps.reduce((highest, step) => Math.max(highest, step.turn ?? 0), 0) + 1;
}
