// biome-ignore-all lint/suspicious/noExplicitAny: wire JSON in tests is untyped on purpose
/** Helpers for the emulator's own tests: plain fetch, a tiny SSE reader, and replaying loops. */

export const AUTH = { "content-type": "application/json", "x-api-key": "test-key" };

export const ANTHROPIC_PATH = "/anthropic/v1/messages";
export const OPENAI_PATH = "/v1/chat/completions";

export function post(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = AUTH,
  signal?: AbortSignal,
) {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  return fetch(baseUrl + path, { method: "POST", headers, body: payload, signal });
}

export interface SseEvent {
  event?: string;
  data: string;
}

/** Splits an SSE body into events (blank-line separated `event:` / `data:` lines). */
export function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const event: SseEvent = { data: "" };
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event.event = line.slice("event: ".length);
        if (line.startsWith("data: ")) event.data = line.slice("data: ".length);
      }
      return event;
    });
}

export async function sseJson(res: Response): Promise<any[]> {
  return parseSse(await res.text())
    .filter((e) => e.data !== "[DONE]")
    .map((e) => JSON.parse(e.data));
}

const toolResult = (name: string) => `ok: ${name} done`;

/**
 * Plays a whole scripted conversation on the Anthropic route the way a correct client does:
 * each assistant `content` goes back unmodified, tool results follow as a user message.
 * Returns the assistant messages in order.
 */
export async function runAnthropic(baseUrl: string, task: string, extra: object = {}): Promise<any[]> {
  const messages: any[] = [{ role: "user", content: task }];
  const replies: any[] = [];
  for (let turn = 0; turn < 10; turn++) {
    const res = await post(baseUrl, ANTHROPIC_PATH, { model: "MiniMax-M2", max_tokens: 8000, messages, ...extra });
    const reply = await res.json();
    replies.push(reply);
    messages.push({ role: "assistant", content: reply.content });
    if (reply.stop_reason !== "tool_use") break;
    const results = reply.content
      .filter((b: any) => b.type === "tool_use")
      .map((b: any) => ({ type: "tool_result", tool_use_id: b.id, content: toolResult(b.name) }));
    messages.push({ role: "user", content: results });
  }
  return replies;
}

/** The same loop on the OpenAI route: `content` (with `<think>`) and `tool_calls` go back untouched. */
export async function runOpenai(baseUrl: string, task: string, extra: object = {}): Promise<any[]> {
  const messages: any[] = [{ role: "user", content: task }];
  const replies: any[] = [];
  for (let turn = 0; turn < 10; turn++) {
    const res = await post(baseUrl, OPENAI_PATH, { model: "MiniMax-M2", messages, ...extra });
    const reply = await res.json();
    replies.push(reply);
    const { role, content, tool_calls, reasoning_details } = reply.choices[0].message;
    messages.push({ role, content, tool_calls, reasoning_details });
    if (reply.choices[0].finish_reason !== "tool_calls") break;
    for (const call of tool_calls) {
      messages.push({ role: "tool", tool_call_id: call.id, content: toolResult(call.function.name) });
    }
  }
  return replies;
}
