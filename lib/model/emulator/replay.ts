import { contentText } from "./conversation";
import { signatureFor } from "./ids";
import type { ReplayCheck, Route, WireVariants } from "./types";

/** What one replayed assistant message carries of its reasoning. */
interface TurnThinking {
  text: string;
  /** every thinking block has a non-empty signature */
  signed: boolean;
  /** some signature does not match its block's text */
  tampered: boolean;
  /** reasoning sent only in a field this server does not read */
  unreadField: string | null;
  /** where the reasoning was: content, reasoning_details, reasoning_content, reasoning, or "" */
  field: string;
}

/**
 * The reasoning inside `<think>…</think>` (or up to the end when the tag is still open, as
 * in a prefill), without the newline MiniMax puts after `<think>` and before `</think>`.
 */
export function thinkTagText(content: string): string {
  const close = content.indexOf("</think>");
  const openAt = content.indexOf("<think>");
  if (openAt === -1 && close === -1) return "";
  const start = openAt === -1 || (close !== -1 && openAt > close) ? 0 : openAt + "<think>".length;
  const inner = content.slice(start, close === -1 ? undefined : close);
  return inner.replace(/^\n/, "").replace(/\n$/, "");
}

function anthropicThinking(content: unknown, signatureOf: (thinking: string) => string): TurnThinking {
  const none = { text: "", signed: false, tampered: false, unreadField: null, field: "" };
  const tagged = (text: string) => ({ ...none, text, field: text ? "content" : "" });
  if (!Array.isArray(content)) return tagged(thinkTagText(contentText(content)));
  const blocks = content.filter((b) => b?.type === "thinking" && typeof b.thinking === "string");
  if (blocks.length === 0) return tagged(thinkTagText(contentText(content)));
  const signatures = blocks.map((b) => (typeof b.signature === "string" ? b.signature : ""));
  return {
    text: blocks.map((b) => b.thinking as string).join(""),
    signed: signatures.every((s) => s !== ""),
    tampered: blocks.some((b, i) => signatures[i] !== "" && signatures[i] !== signatureOf(b.thinking)),
    unreadField: null,
    field: "content",
  };
}

const REASONING_FIELDS = ["reasoning_content", "reasoning"] as const;

/**
 * Hosted MiniMax reads `<think>` in content and `reasoning_details`; a vLLM/SGLang server
 * whose reasoning parser sends a field also reads that field back (the model's chat
 * template takes `reasoning_content` when present, minimax-wire §5).
 */
function openaiThinking(message: Record<string, unknown>, server: WireVariants["openaiReasoning"]): TurnThinking {
  const none = { signed: false, tampered: false, unreadField: null };
  const details = Array.isArray(message.reasoning_details) ? message.reasoning_details : [];
  const fromDetails = details.map((d) => (typeof d?.text === "string" ? d.text : "")).join("");
  const tagged = thinkTagText(contentText(message.content));
  if (tagged) return { ...none, text: tagged, field: "content" };
  if (fromDetails) return { ...none, text: fromDetails, field: "reasoning_details" };
  for (const field of REASONING_FIELDS) {
    const text = message[field];
    if (typeof text !== "string" || text === "") continue;
    if (field === server) return { ...none, text, field };
    return { ...none, text: "", field, unreadField: field };
  }
  return { ...none, text: "", field: "" };
}

/**
 * Does every replayed assistant turn still carry its thinking, in a form MiniMax reads,
 * and untouched where it is signed? Unsigned thinking is accepted (MiniMax's own agent
 * sends it) but counted; a signature that does not match its text is a problem.
 */
export function checkThinkingReplay(
  route: Route,
  body: unknown,
  signatureOf: (thinking: string) => string = signatureFor,
  server: WireVariants["openaiReasoning"] = "content",
): ReplayCheck {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) {
    return {
      assistantTurns: 0,
      turnsWithThinking: 0,
      signedTurns: 0,
      thinkingByTurn: [],
      thinkingFieldByTurn: [],
      ok: false,
      problems: ["request has no messages array"],
    };
  }
  const turns = messages
    .filter((m) => m?.role === "assistant")
    .map((m) => (route === "anthropic" ? anthropicThinking(m.content, signatureOf) : openaiThinking(m, server)));
  const problems: string[] = [];
  turns.forEach((turn, i) => {
    if (turn.unreadField) {
      problems.push(
        server === "content"
          ? `assistant turn ${i + 1} has no thinking (${turn.unreadField} is not read by MiniMax; keep <think> in content or send reasoning_details)`
          : `assistant turn ${i + 1} has no thinking (${turn.unreadField} is not read by this server; it sends and reads ${server})`,
      );
    } else if (turn.text === "") {
      problems.push(`assistant turn ${i + 1} has no thinking`);
    }
    if (turn.tampered) problems.push(`assistant turn ${i + 1} has a thinking signature that does not match its text`);
  });
  return {
    assistantTurns: turns.length,
    turnsWithThinking: turns.filter((t) => t.text !== "").length,
    signedTurns: turns.filter((t) => t.signed).length,
    thinkingByTurn: turns.map((t) => t.text),
    thinkingFieldByTurn: turns.map((t) => t.field),
    ok: problems.length === 0,
    problems,
  };
}
