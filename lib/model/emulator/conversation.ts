import { FINAL_TURN } from "./scenarios";
import type { Fault, Route, Scenario, ScriptedTurn } from "./types";

/**
 * How the request's last message relates to the turn being served:
 * - "none": a fresh turn (the last message is the user's or a tool result);
 * - "after-thinking": the last message is a partial assistant turn whose reasoning is
 *   complete, so only the rest of the turn (text, tool calls) follows;
 * - "open-thinking": OpenAI route, the partial turn ends inside `<think>`, so the
 *   reasoning continues before the rest of the turn.
 */
export type Prefill = "none" | "after-thinking" | "open-thinking";

export interface Conversation {
  firstUserText: string;
  prefill: Prefill;
  /** the answer text the prefill's partial turn already has ("" without a prefill) */
  prefillText: string;
  /**
   * 0-based scripted turn to serve = assistant messages already in the request (minus the
   * partial one of a prefill), so regenerating from an earlier point gets the same turn.
   */
  turnIndex: number;
}

type Message = {
  role?: unknown;
  content?: unknown;
  reasoning_details?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
};

function messagesOf(body: unknown): Message[] {
  const messages = (body as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? messages.filter((m): m is Message => typeof m === "object" && m !== null) : [];
}

/** The text of a message's content: a string, or the `text` parts of a content array. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((part) => part?.type === "text" && typeof part.text === "string")
    .map((part) => part.text as string)
    .join("");
}

function reasoningDetailsText(details: unknown): string {
  if (!Array.isArray(details)) return "";
  return details.map((d) => (typeof d?.text === "string" ? d.text : "")).join("");
}

function prefillOf(route: Route, last: Message): Prefill {
  if (route === "anthropic") return "after-thinking";
  const content = contentText(last.content);
  const openTag = content.includes("<think>") && !content.includes("</think>");
  const reasoningElsewhere =
    reasoningDetailsText(last.reasoning_details) !== "" ||
    (typeof last.reasoning_content === "string" && last.reasoning_content !== "") ||
    (typeof last.reasoning === "string" && last.reasoning !== "");
  const onlyReasoning = content.trim() === "" && reasoningElsewhere;
  return openTag || onlyReasoning ? "open-thinking" : "after-thinking";
}

/** The answer text of a partial assistant turn: its text blocks, or its content after `</think>`. */
function answerTextOf(route: Route, message: Message): string {
  if (route === "anthropic") return contentText(message.content);
  const content = contentText(message.content);
  const close = content.indexOf("</think>");
  if (close >= 0) return content.slice(close + "</think>".length).replace(/^\n+/, "");
  return content.includes("<think>") ? "" : content;
}

export function readConversation(route: Route, body: unknown): Conversation {
  const messages = messagesOf(body);
  const firstUser = messages.find((m) => m.role === "user");
  const assistantTurns = messages.filter((m) => m.role === "assistant").length;
  const last = messages.at(-1);
  const prefill = last?.role === "assistant" ? prefillOf(route, last) : "none";
  return {
    firstUserText: firstUser ? contentText(firstUser.content) : "",
    prefill,
    prefillText: prefill !== "none" && last ? answerTextOf(route, last) : "",
    turnIndex: prefill === "none" ? assistantTurns : assistantTurns - 1,
  };
}

/** `[emulator:scenario=<id>]`, else the first scenario with a keyword in the text, else the first. */
export function chooseScenario(scenarios: readonly Scenario[], firstUserText: string): Scenario {
  const marked = /\[emulator:scenario=([\w-]+)\]/.exec(firstUserText)?.[1];
  const byId = scenarios.find((s) => s.id === marked);
  if (byId) return byId;
  const text = firstUserText.toLowerCase();
  const byKeyword = scenarios.find((s) => s.keywords.some((k) => text.includes(k.toLowerCase())));
  const chosen = byKeyword ?? scenarios[0];
  if (!chosen) throw new Error("the emulator needs at least one scenario");
  return chosen;
}

export function scriptedTurn(scenario: Scenario, turnIndex: number): ScriptedTurn {
  return scenario.turns[turnIndex] ?? FINAL_TURN;
}

/**
 * A fault requested by the conversation itself, for browser tests that cannot reach the
 * control endpoints: `[emulator:fault=429]` (`500:1008`: status 500 carrying MiniMax code 1008), `drop@5`, `stall@3` (or `stall@3:2000` ms),
 * `malformed@4`, `base_resp:1004`, `empty`. It applies to every request of that conversation.
 */
export function faultFromMarker(firstUserText: string): Fault | null {
  const spec = /\[emulator:fault=([^\]\s]+)\]/.exec(firstUserText)?.[1];
  if (!spec) return null;
  for (const [pattern, build] of FAULT_MARKERS) {
    const m = pattern.exec(spec);
    if (m) return build(m);
  }
  return null;
}

type HttpStatus = Extract<Fault, { type: "http" }>["status"];

const FAULT_MARKERS: [RegExp, (m: RegExpExecArray) => Fault][] = [
  // Any HTTP status is accepted here; errorForStatus also maps ones outside the union.
  [
    /^(\d{3})(?::(\d+))?$/,
    (m) =>
      m[2] === undefined
        ? { type: "http", status: Number(m[1]) as HttpStatus }
        : { type: "http", status: Number(m[1]) as HttpStatus, code: Number(m[2]) },
  ],
  [/^drop@(\d+)$/, (m) => ({ type: "drop", afterChunks: Number(m[1]) })],
  [
    /^stall@(\d+)(?::(\d+))?$/,
    (m) =>
      m[2] === undefined
        ? { type: "stall", afterChunks: Number(m[1]) }
        : { type: "stall", afterChunks: Number(m[1]), ms: Number(m[2]) },
  ],
  [/^malformed@(\d+)$/, (m) => ({ type: "malformed", afterChunks: Number(m[1]) })],
  [/^base_resp:(\d+)$/, (m) => ({ type: "base_resp", code: Number(m[1]) })],
  [/^empty$/, () => ({ type: "empty" })],
];

/** Rough prompt size, chars/4 like the output estimates: everything the model would read. */
export function estimateInputTokens(body: unknown): number {
  const b = (body ?? {}) as { system?: unknown; messages?: unknown; tools?: unknown };
  const chars = JSON.stringify([b.system ?? null, b.messages ?? null, b.tools ?? null]).length;
  return Math.ceil(chars / 4);
}

export function requestedMaxTokens(route: Route, body: unknown): number | undefined {
  const b = (body ?? {}) as { max_tokens?: unknown; max_completion_tokens?: unknown };
  const value = route === "openai" ? (b.max_completion_tokens ?? b.max_tokens) : b.max_tokens;
  return typeof value === "number" && value > 0 ? value : undefined;
}

/**
 * Whether the model reasons on this request. MiniMax-M3 on the Anthropic route thinks only
 * when the request asks for it (`thinking: { type: "enabled", budget_tokens }`, as on
 * Anthropic's own API — issue 9 item 3); every other model and route always reasons.
 */
export function thinksOnRequest(route: Route, body: unknown): boolean {
  const b = (body ?? {}) as { model?: unknown; thinking?: { type?: unknown } | null };
  const askOnly = route === "anthropic" && typeof b.model === "string" && b.model.startsWith("MiniMax-M3");
  return !askOnly || b.thinking?.type === "enabled";
}
