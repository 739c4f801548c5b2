import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Local stand-ins for the other providers' wire formats, so tests (and the browser test
 * of Compare) run OpenAI, Anthropic and OpenAI-compatible models through the AI SDK's own
 * provider packages without the network:
 *
 * - POST /v1/responses         OpenAI Responses API, SSE (reasoning summary + encrypted reasoning item)
 * - POST /v1/messages          Anthropic Messages API, SSE (signed thinking block)
 * - POST /v1/chat/completions  OpenAI Chat Completions, SSE (`reasoning_content`, as vLLM/DeepSeek/OpenRouter send it)
 *
 * Each answers from one script, a small coding task played as a tool loop: the first turn
 * thinks and calls write_file, the next thinks and answers in text. Which turn is due is
 * read from the request (how many tool results it carries), so a replayed history drives
 * it as a real provider's would. Every request is recorded with its parsed body.
 */

export type StandInWire = "openai-responses" | "anthropic" | "chat";

export interface StandInRequest {
  wire: StandInWire;
  path: string;
  /** the Authorization or x-api-key header as sent */
  auth: string | undefined;
  body: Record<string, unknown>;
  /** the script turn answered (0-based) */
  turn: number;
}

export interface ScriptTurn {
  thinking: string;
  toolCall?: { name: string; input: Record<string, unknown> };
  text?: string;
}

/** The default script: write src/sum.ts, then say so. */
export const SUM_SCRIPT: readonly ScriptTurn[] = [
  {
    thinking:
      "The task asks for a sum function. I will write it to src/sum.ts as a small exported arrow function, then check it.",
    toolCall: {
      name: "write_file",
      input: { path: "src/sum.ts", content: "export const sum = (a: number, b: number): number => a + b;\n" },
    },
  },
  {
    thinking: "The file is written and the function is trivially correct; I can summarise.",
    text: "I wrote `src/sum.ts` with an exported `sum(a, b)` that returns their total.",
  },
];

/** Usage the stand-in reports per turn: output includes reasoning, as every provider counts it. */
export const STANDIN_OUTPUT_TOKENS = 60;
export const STANDIN_REASONING_TOKENS = 24;

export interface StandIn {
  url: string;
  requests: StandInRequest[];
  /** forgets the recorded requests and restarts the ids it hands out (call_standin_1, …) */
  reset(): void;
  close(): Promise<void>;
}

const SIGNATURE_PREFIX = "standin-signature:";
const ENCRYPTED_PREFIX = "standin-encrypted:";

/** A stand-in signature vouches for the exact thinking text, as Anthropic's does. */
export function standInSignature(thinking: string): string {
  return `${SIGNATURE_PREFIX}${Buffer.from(thinking).toString("base64")}`;
}

/** A stand-in encrypted reasoning item carries the exact reasoning text, as OpenAI's does. */
export function standInEncrypted(thinking: string): string {
  return `${ENCRYPTED_PREFIX}${Buffer.from(thinking).toString("base64")}`;
}

function chunksOf(text: string, size = 12): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
  return chunks;
}

function countToolResults(wire: StandInWire, body: Record<string, unknown>): number {
  if (wire === "openai-responses") {
    const input = Array.isArray(body.input) ? (body.input as { type?: string }[]) : [];
    return input.filter((item) => item.type === "function_call_output").length;
  }
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: unknown }[]) : [];
  if (wire === "chat") return messages.filter((message) => message.role === "tool").length;
  return messages
    .flatMap((message) => (Array.isArray(message.content) ? (message.content as { type?: string }[]) : []))
    .filter((block) => block.type === "tool_result").length;
}

const inputTokensOf = (body: unknown) => Math.ceil(JSON.stringify(body).length / 4);

type Send = (event: string | null, data: unknown) => Promise<void>;

async function anthropicTurn(send: Send, turn: ScriptTurn, model: string, inputTokens: number, n: number) {
  await send("message_start", {
    type: "message_start",
    message: {
      id: `msg_standin_${n}`,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: 1 },
    },
  });
  let index = 0;
  await send("content_block_start", {
    type: "content_block_start",
    index,
    content_block: { type: "thinking", thinking: "", signature: "" },
  });
  for (const piece of chunksOf(turn.thinking)) {
    await send("content_block_delta", {
      type: "content_block_delta",
      index,
      delta: { type: "thinking_delta", thinking: piece },
    });
  }
  await send("content_block_delta", {
    type: "content_block_delta",
    index,
    delta: { type: "signature_delta", signature: standInSignature(turn.thinking) },
  });
  await send("content_block_stop", { type: "content_block_stop", index });
  if (turn.text) {
    index += 1;
    await send("content_block_start", {
      type: "content_block_start",
      index,
      content_block: { type: "text", text: "" },
    });
    for (const piece of chunksOf(turn.text)) {
      await send("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: piece },
      });
    }
    await send("content_block_stop", { type: "content_block_stop", index });
  }
  if (turn.toolCall) {
    index += 1;
    await send("content_block_start", {
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: `toolu_standin_${n}`, name: turn.toolCall.name, input: {} },
    });
    for (const piece of chunksOf(JSON.stringify(turn.toolCall.input), 24)) {
      await send("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: piece },
      });
    }
    await send("content_block_stop", { type: "content_block_stop", index });
  }
  await send("message_delta", {
    type: "message_delta",
    delta: { stop_reason: turn.toolCall ? "tool_use" : "end_turn", stop_sequence: null },
    // Anthropic reports only output tokens: reasoning is in there, not separate
    usage: { output_tokens: STANDIN_OUTPUT_TOKENS },
  });
  await send("message_stop", { type: "message_stop" });
}

async function responsesTurn(send: Send, turn: ScriptTurn, model: string, inputTokens: number, n: number) {
  const responseId = `resp_standin_${n}`;
  await send(null, { type: "response.created", response: { id: responseId, created_at: 1_780_000_000, model } });
  let output = 0;
  const reasoningId = `rs_standin_${n}`;
  await send(null, {
    type: "response.output_item.added",
    output_index: output,
    item: { type: "reasoning", id: reasoningId, encrypted_content: null, summary: [] },
  });
  await send(null, {
    type: "response.reasoning_summary_part.added",
    item_id: reasoningId,
    output_index: output,
    summary_index: 0,
  });
  for (const piece of chunksOf(turn.thinking)) {
    await send(null, {
      type: "response.reasoning_summary_text.delta",
      item_id: reasoningId,
      output_index: output,
      summary_index: 0,
      delta: piece,
    });
  }
  await send(null, {
    type: "response.reasoning_summary_part.done",
    item_id: reasoningId,
    output_index: output,
    summary_index: 0,
  });
  await send(null, {
    type: "response.output_item.done",
    output_index: output,
    item: {
      type: "reasoning",
      id: reasoningId,
      encrypted_content: standInEncrypted(turn.thinking),
      summary: [{ type: "summary_text", text: turn.thinking }],
    },
  });
  if (turn.text) {
    output += 1;
    const messageId = `msg_standin_${n}`;
    await send(null, {
      type: "response.output_item.added",
      output_index: output,
      item: { type: "message", id: messageId, role: "assistant", status: "in_progress", content: [] },
    });
    for (const piece of chunksOf(turn.text)) {
      await send(null, {
        type: "response.output_text.delta",
        item_id: messageId,
        output_index: output,
        content_index: 0,
        delta: piece,
      });
    }
    await send(null, {
      type: "response.output_item.done",
      output_index: output,
      item: {
        type: "message",
        id: messageId,
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: turn.text, annotations: [] }],
      },
    });
  }
  if (turn.toolCall) {
    output += 1;
    const itemId = `fc_standin_${n}`;
    const args = JSON.stringify(turn.toolCall.input);
    const item = { type: "function_call", id: itemId, call_id: `call_standin_${n}`, name: turn.toolCall.name };
    await send(null, {
      type: "response.output_item.added",
      output_index: output,
      item: { ...item, arguments: "", status: "in_progress" },
    });
    for (const piece of chunksOf(args, 24)) {
      await send(null, {
        type: "response.function_call_arguments.delta",
        item_id: itemId,
        output_index: output,
        delta: piece,
      });
    }
    await send(null, {
      type: "response.output_item.done",
      output_index: output,
      item: { ...item, arguments: args, status: "completed" },
    });
  }
  await send(null, {
    type: "response.completed",
    response: {
      id: responseId,
      status: "completed",
      incomplete_details: null,
      usage: {
        input_tokens: inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: STANDIN_OUTPUT_TOKENS,
        output_tokens_details: { reasoning_tokens: STANDIN_REASONING_TOKENS },
      },
    },
  });
}

async function chatTurn(send: Send, turn: ScriptTurn, model: string, inputTokens: number, n: number) {
  const base = { id: `chatcmpl-standin-${n}`, object: "chat.completion.chunk", created: 1_780_000_000, model };
  const delta = (d: Record<string, unknown>, finish: string | null = null) =>
    send(null, { ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] });
  await delta({ role: "assistant", content: "" });
  for (const piece of chunksOf(turn.thinking)) await delta({ reasoning_content: piece });
  if (turn.text) for (const piece of chunksOf(turn.text)) await delta({ content: piece });
  if (turn.toolCall) {
    const args = JSON.stringify(turn.toolCall.input);
    await delta({
      tool_calls: [
        { index: 0, id: `call_standin_${n}`, type: "function", function: { name: turn.toolCall.name, arguments: "" } },
      ],
    });
    for (const piece of chunksOf(args, 24)) await delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
  }
  await delta({}, turn.toolCall ? "tool_calls" : "stop");
  await send(null, {
    ...base,
    choices: [],
    usage: {
      prompt_tokens: inputTokens,
      completion_tokens: STANDIN_OUTPUT_TOKENS,
      total_tokens: inputTokens + STANDIN_OUTPUT_TOKENS,
      completion_tokens_details: { reasoning_tokens: STANDIN_REASONING_TOKENS },
    },
  });
  await send(null, "[DONE]");
}

const WIRES: Record<string, StandInWire> = {
  "/v1/responses": "openai-responses",
  "/v1/messages": "anthropic",
  "/v1/chat/completions": "chat",
};

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
}

/**
 * Starts the stand-in on 127.0.0.1 (port 0 = any free one). `chunkDelayMs` paces the
 * stream so a browser can watch it arrive.
 */
export async function startStandIn({
  port = 0,
  host = "127.0.0.1",
  chunkDelayMs = 0,
  script = SUM_SCRIPT,
}: {
  port?: number;
  host?: string;
  chunkDelayMs?: number;
  script?: readonly ScriptTurn[];
} = {}): Promise<StandIn> {
  const requests: StandInRequest[] = [];
  let served = 0;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const wire = WIRES[path];
    if (request.method === "GET" && path === "/v1/models") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [] }));
      return;
    }
    if (request.method !== "POST" || !wire) {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      return;
    }
    const body = await readJson(request);
    const turnIndex = Math.min(countToolResults(wire, body), script.length - 1);
    const header = request.headers.authorization ?? request.headers["x-api-key"];
    requests.push({ wire, path, auth: Array.isArray(header) ? header[0] : header, body, turn: turnIndex });
    served += 1;
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send: Send = async (event, data) => {
      const payload = typeof data === "string" ? data : JSON.stringify(data);
      response.write(`${event ? `event: ${event}\n` : ""}data: ${payload}\n\n`);
      if (chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, chunkDelayMs));
    };
    const turn = script[turnIndex] as ScriptTurn;
    const model = String(body.model ?? "standin");
    const inputTokens = inputTokensOf(body);
    if (wire === "anthropic") await anthropicTurn(send, turn, model, inputTokens, served);
    else if (wire === "openai-responses") await responsesTurn(send, turn, model, inputTokens, served);
    else await chatTurn(send, turn, model, inputTokens, served);
    response.end();
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    requests,
    reset: () => {
      requests.length = 0;
      served = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
