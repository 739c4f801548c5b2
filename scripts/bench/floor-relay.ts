/**
 * The machine's floor for `bench:stream --floor`: the least any relay can do between the
 * wire emulator and a viewer, to set the app's numbers against what the machine itself
 * costs. A plain node:http server, no Next.js, no database, no accounts, no queue: it reads
 * the model's stream, turns every upstream delta into the app's SSE event shape
 * (`step.created`, `step.delta`, `run.updated`; docs/api.md) and writes it to the session's
 * viewers, replaying each turn's blocks as the app does until the model stops calling tools.
 * With REDIS_URL set, every event goes through Redis (PUBLISH to `floor:<session>`, one
 * SUBSCRIBE per viewed session): the cheapest way across instances, cheaper than the app's
 * Streams (which also keep a sequence for Last-Event-ID).
 *
 *   node --import tsx scripts/bench/floor-relay.ts --port 3300 --emulator http://127.0.0.1:4010
 *
 * The benchmark's API calls find what they need: /api/health, /api/metrics (zeros),
 * /api/auth/guest (404: no accounts), POST /api/sessions, …/shares, …/runs, GET …/events.
 * A session id is its task, base64url-encoded, so any instance can run any session.
 */

import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { createClient } from "@redis/client";
import { AGENT_SYSTEM_PROMPT } from "../../lib/agent/system-prompt";
import { TOOL_DEFINITIONS } from "../../lib/agent/tools";

const { values } = parseArgs({
  options: { port: { type: "string", default: "3300" }, emulator: { type: "string" } },
});
if (!values.emulator) throw new Error("--emulator URL is required");
const EMULATOR = values.emulator.replace(/\/$/, "");
const TOOLS = TOOL_DEFINITIONS.map((tool) => ({
  name: tool.name,
  description: tool.description,
  input_schema: tool.inputSchema,
}));
/** a run stops after this many model turns even if the model keeps calling tools */
const MAX_TURNS = 20;

const viewers = new Map<string, Set<ServerResponse>>();
const redisUrl = process.env.REDIS_URL;
const publisher = redisUrl ? createClient({ url: redisUrl }) : null;
const subscriber = redisUrl ? createClient({ url: redisUrl }) : null;
await publisher?.connect();
await subscriber?.connect();

function deliver(sessionId: string, data: string): void {
  for (const response of viewers.get(sessionId) ?? []) response.write(`data: ${data}\n\n`);
}

function publish(sessionId: string, event: object): void {
  const data = JSON.stringify(event);
  if (publisher) void publisher.publish(`floor:${sessionId}`, data);
  else deliver(sessionId, data);
}

async function follow(sessionId: string, response: ServerResponse): Promise<void> {
  let set = viewers.get(sessionId);
  if (!set) {
    set = new Set();
    viewers.set(sessionId, set);
    await subscriber?.subscribe(`floor:${sessionId}`, (data) => deliver(sessionId, data));
  }
  set.add(response);
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
  response.write(`data: ${JSON.stringify({ type: "snapshot" })}\n\n`);
  response.on("close", () => {
    set.delete(response);
    if (set.size > 0) return;
    viewers.delete(sessionId);
    void subscriber?.unsubscribe(`floor:${sessionId}`);
  });
}

type Block =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown; json: string };

/** One model turn: streams its deltas as step events; resolves with its blocks and stop reason. */
function modelTurn(
  sessionId: string,
  runId: string,
  turn: number,
  messages: object[],
): Promise<{ blocks: Block[]; stopReason: string }> {
  const body = JSON.stringify({
    model: "MiniMax-M2",
    max_tokens: 16_384,
    system: AGENT_SYSTEM_PROMPT,
    messages,
    tools: TOOLS,
    stream: true,
  });
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      `${EMULATOR}/anthropic/v1/messages`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "floor", "anthropic-version": "2023-06-01" },
      },
      (response) => {
        response.setEncoding("utf8");
        const blocks: Block[] = [];
        const offsets: number[] = [];
        let stopReason = "end_turn";
        let buffer = "";
        response.on("data", (text: string) => {
          buffer += text;
          for (let boundary = buffer.indexOf("\n\n"); boundary >= 0; boundary = buffer.indexOf("\n\n")) {
            const frame = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const line = frame.split("\n").find((l) => l.startsWith("data:"));
            if (!line) continue;
            const event = JSON.parse(line.slice(5));
            const stepId = `${runId}.${turn}.${event.index}`;
            if (event.type === "content_block_start") {
              const start = event.content_block;
              blocks[event.index] =
                start.type === "tool_use"
                  ? { type: "tool_use", id: start.id, name: start.name, input: {}, json: "" }
                  : start.type === "thinking"
                    ? { type: "thinking", thinking: "", signature: "" }
                    : { type: "text", text: "" };
              offsets[event.index] = 0;
              const kind = start.type === "tool_use" ? "tool_call" : start.type;
              publish(sessionId, { type: "step.created", step: { id: stepId, kind, turn, content: "" } });
            } else if (event.type === "content_block_delta") {
              const block = blocks[event.index];
              const delta = event.delta;
              let piece = "";
              if (block?.type === "thinking" && delta.type === "signature_delta") block.signature += delta.signature;
              else if (block?.type === "thinking") piece = delta.thinking ?? "";
              else if (block?.type === "text") piece = delta.text ?? "";
              else if (block?.type === "tool_use") piece = delta.partial_json ?? "";
              if (!block || piece === "") continue;
              if (block.type === "thinking") block.thinking += piece;
              else if (block.type === "text") block.text += piece;
              else block.json += piece;
              const offset = offsets[event.index] ?? 0;
              offsets[event.index] = offset + piece.length;
              publish(sessionId, { type: "step.delta", stepId, offset, text: piece });
            } else if (event.type === "message_delta" && event.delta?.stop_reason) {
              stopReason = event.delta.stop_reason;
            }
          }
        });
        response.on("end", () => resolve({ blocks: blocks.filter(Boolean), stopReason }));
        response.on("error", reject);
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}

/** A run: model turns until the model stops calling tools, each tool answered "ok". */
async function run(sessionId: string, runId: string, task: string): Promise<void> {
  const messages: object[] = [{ role: "user", content: [{ type: "text", text: task }] }];
  let status = "done";
  try {
    for (let turn = 1; turn <= MAX_TURNS; turn++) {
      const { blocks, stopReason } = await modelTurn(sessionId, runId, turn, messages);
      const calls = blocks.filter((b) => b.type === "tool_use");
      if (stopReason !== "tool_use" || calls.length === 0) break;
      messages.push({
        role: "assistant",
        content: blocks.map((block) =>
          block.type === "tool_use"
            ? { type: "tool_use", id: block.id, name: block.name, input: JSON.parse(block.json || "{}") }
            : block,
        ),
      });
      messages.push({
        role: "user",
        content: calls.map((call) => ({ type: "tool_result", tool_use_id: call.id, content: "ok" })),
      });
    }
  } catch {
    status = "failed";
  }
  publish(sessionId, { type: "run.updated", run: { id: runId, status } });
}

function json(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return text;
}

let runs = 0;
createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", "http://floor");
  const [, api, first, id, action] = url.pathname.split("/");
  if (api !== "api") return json(response, 404, {});
  if (first === "health") return json(response, 200, { ok: true });
  if (first === "metrics") return json(response, 200, { stepsCreated: 0, stepRowWrites: 0, stepStatements: 0 });
  if (first !== "sessions") return json(response, 404, {});
  if (!id && request.method === "POST") {
    const { task } = JSON.parse(await readBody(request)) as { task: string };
    return json(response, 201, { session: { id: Buffer.from(task).toString("base64url") } });
  }
  if (!id) return json(response, 404, {});
  if (action === "shares") return json(response, 201, { token: "floor" });
  if (action === "events") return follow(id, response);
  if (action === "runs" && request.method === "POST") {
    await readBody(request);
    const runId = `r${++runs}p${process.pid}`;
    json(response, 202, { run: { id: runId } });
    void run(id, runId, Buffer.from(id, "base64url").toString());
    return;
  }
  json(response, 404, {});
}).listen(Number(values.port), "127.0.0.1");

// exit through process.exit so --cpu-prof (--node-flags) writes its profile
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => process.exit(0));
