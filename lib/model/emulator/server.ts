import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseJsonOr } from "@/lib/json";
import { MODELS } from "../catalog";
import { anthropicFrames, anthropicMessage } from "./anthropic";
import {
  chooseScenario,
  estimateInputTokens,
  faultFromMarker,
  readConversation,
  requestedMaxTokens,
  scriptedTurn,
  thinksOnRequest,
} from "./conversation";
import { type ApiError, baseRespBody, errorBody, errorForStatus, hasAuth, validateRequest } from "./errors";
import { malformedFrame, type ResponseMeta, type SseFrame, serializeFrame } from "./frames";
import { hexId } from "./ids";
import { openaiCompletion, openaiFrames } from "./openai";
import { planTurn } from "./plan";
import { checkThinkingReplay } from "./replay";
import { SCENARIOS } from "./scenarios";
import {
  type ChunkWritten,
  DEFAULT_VARIANTS,
  type Fault,
  type RecordedRequest,
  type Route,
  type Scenario,
  type WireVariants,
} from "./types";

export interface EmulatorOptions {
  /** 0 = a random free port */
  port?: number;
  host?: string;
  /** pause before each word-carrying chunk; 0 = as fast as possible */
  chunkDelayMs?: number;
  wordsPerChunk?: number;
  /** replaces the built-in scenarios; the first one is the default */
  scenarios?: Scenario[];
  /** picks the scenario for a conversation from its first user message; default: chooseScenario */
  choose?: (scenarios: readonly Scenario[], firstUserText: string) => Scenario;
  variants?: Partial<WireVariants>;
  /**
   * Called as each word-carrying (paced) chunk of a stream is handed to the socket, with
   * the words it carries and `performance.now()` taken just before the write. For the
   * stream benchmark; leave unset elsewhere (it costs a JSON parse per chunk).
   */
  onChunk?: (info: ChunkWritten) => void;
}

export interface Emulator {
  /** "http://127.0.0.1:PORT"; clients append /anthropic/v1/messages or /v1/chat/completions */
  url: string;
  requests: RecordedRequest[];
  setFault(fault: Fault | null): void;
  setVariants(variants: Partial<WireVariants>): void;
  /** clears requests and the fault, and restores the variants given at start */
  reset(): void;
  close(): Promise<void>;
}

/** What GET /v1/models lists: the MiniMax models the app's catalog knows. */
const MODEL_IDS = MODELS.filter((model) => model.provider === "minimax").map((model) => model.id);

const FAULT_TYPES = new Set(["http", "base_resp", "drop", "stall", "malformed", "empty"]);

type StreamFault = Extract<Fault, { type: "drop" | "stall" | "malformed" }>;

/** What the `empty` fault serves: no reasoning, no text, no tool call. */
const EMPTY_TURN = { thinking: "" };

function routeOf(method: string | undefined, path: string): Route | null {
  if (method !== "POST") return null;
  if (path === "/anthropic/v1/messages") return "anthropic";
  if (path === "/v1/chat/completions") return "openai";
  return null;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Resolves when the client goes away (or the emulator closes), or after `ms`. */
async function wait(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  if (ms === undefined) {
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    return;
  }
  await sleep(ms, undefined, { signal }).catch(() => {});
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => res.write(chunk, () => resolve()));
}

/** The words a paced frame carries, on either route ("" when it carries none). */
function chunkText(frame: SseFrame): string {
  const data = parseJsonOr(frame.data, null) as Record<string, unknown> | null;
  if (!data || typeof data !== "object") return "";
  const delta = data.delta as Record<string, unknown> | undefined;
  if (data.type === "content_block_delta" && delta) {
    const text = delta.thinking ?? delta.text ?? delta.partial_json;
    return typeof text === "string" ? text : "";
  }
  const choice = (data.choices as Array<{ delta?: Record<string, unknown> }> | undefined)?.[0]?.delta;
  if (!choice) return "";
  const details = choice.reasoning_details as Array<{ text?: unknown }> | undefined;
  const calls = choice.tool_calls as Array<{ function?: { arguments?: unknown } }> | undefined;
  const text =
    (typeof choice.content === "string" && choice.content !== "" ? choice.content : undefined) ??
    details?.[0]?.text ??
    calls?.[0]?.function?.arguments ??
    "";
  return typeof text === "string" ? text : "";
}

/**
 * Writes the events with their pacing, applying a stream fault once `afterChunks` events
 * are out. Pacing follows a fixed schedule so delays do not drift under load.
 */
async function writeStream(
  res: ServerResponse,
  frames: SseFrame[],
  fault: StreamFault | null,
  delayMs: number,
  signal: AbortSignal,
  onPacedWrite?: (frame: SseFrame, at: number) => void,
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.flushHeaders();
  const faultAt = fault ? Math.min(fault.afterChunks, frames.length) : -1;
  let nextAt = performance.now();
  for (let i = 0; i <= frames.length && !signal.aborted; i++) {
    if (i === faultAt && fault) {
      if (fault.type === "drop") {
        res.destroy();
        return;
      }
      if (fault.type === "stall") await wait(fault.ms, signal);
      const victim = frames[i] ?? frames.at(-1);
      if (fault.type === "malformed" && victim) await write(res, serializeFrame(malformedFrame(victim)));
    }
    const frame = frames[i];
    if (!frame || signal.aborted) continue;
    if (frame.paced && delayMs > 0) {
      // On schedule: every delayMs. Behind (a stall, a slow reader): resume without a burst.
      nextAt = Math.max(nextAt + delayMs, performance.now());
      await sleep(Math.max(0, nextAt - performance.now()), undefined, { signal }).catch(() => {});
    }
    if (signal.aborted) continue;
    if (frame.paced && onPacedWrite) {
      const at = performance.now();
      const written = write(res, serializeFrame(frame));
      onPacedWrite(frame, at);
      await written;
    } else {
      await write(res, serializeFrame(frame));
    }
  }
  if (!signal.aborted) res.end();
}

/**
 * A non-streaming answer; stream faults act on the whole body (dropped, late, or cut in
 * half). Returns the status sent, 0 when nothing was.
 */
async function writeMessage(
  res: ServerResponse,
  json: string,
  fault: StreamFault | null,
  signal: AbortSignal,
): Promise<number> {
  if (fault?.type === "drop") {
    res.destroy();
    return 0;
  }
  if (fault?.type === "stall") await wait(fault.ms, signal);
  if (signal.aborted) return 0;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(fault?.type === "malformed" ? json.slice(0, Math.floor(json.length / 2)) : json);
  return 200;
}

export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const scenarios = options.scenarios ?? SCENARIOS;
  const choose = options.choose ?? chooseScenario;
  const delayMs = options.chunkDelayMs ?? 15;
  const wordsPerChunk = options.wordsPerChunk ?? 3;
  const startVariants: WireVariants = { ...DEFAULT_VARIANTS, ...options.variants };

  const requests: RecordedRequest[] = [];
  let variants = startVariants;
  let fault: Fault | null = null;
  let faultUsesLeft = 0;

  function setFault(next: Fault | null): void {
    fault = next;
    faultUsesLeft = next?.times ?? 1;
  }

  /** The injected fault for this request, counting down its `times`. */
  function takeFault(): Fault | null {
    const taken = fault;
    if (!taken) return null;
    faultUsesLeft -= 1;
    if (faultUsesLeft <= 0) fault = null;
    return taken;
  }

  function reset(): void {
    requests.length = 0;
    setFault(null);
    variants = startVariants;
  }

  async function handleModelRequest(route: Route, req: IncomingMessage, res: ServerResponse, signal: AbortSignal) {
    const body = parseJsonOr(await readBody(req), null);
    const headers = headersOf(req);
    const conversation = readConversation(route, body);
    const scenario = choose(scenarios, conversation.firstUserText);
    const record: RecordedRequest = {
      route,
      path: req.url ?? "",
      headers,
      body,
      at: Date.now(),
      scenarioId: scenario.id,
      turnIndex: conversation.turnIndex,
      prefill: conversation.prefill !== "none",
      replay: checkThinkingReplay(route, body, undefined, variants.openaiReasoning),
      status: 0,
      fault: null,
    };
    requests.push(record);
    const requestId = hexId();
    const fail = (error: ApiError) => {
      record.status = error.status;
      sendJson(res, error.status, errorBody(error, requestId));
    };

    const invalid = validateRequest(route, headers, body);
    if (invalid) return fail(invalid);

    // Injected faults only hit requests that would otherwise succeed.
    const applied = takeFault() ?? faultFromMarker(conversation.firstUserText);
    record.fault = applied;
    if (applied?.type === "http") return fail(errorForStatus(applied.status, applied.code));

    const b = body as { model: string; stream?: unknown; reasoning_split?: unknown };
    const stream = b.stream === true;
    if (applied?.type === "base_resp") {
      // Legacy failure: HTTP 200, as JSON or as a single event on a stream.
      record.status = 200;
      const payload = baseRespBody(applied.code, applied.message);
      if (!stream) return sendJson(res, 200, payload);
      return writeStream(res, [{ data: JSON.stringify(payload), paced: false }], null, 0, signal);
    }

    const scripted = applied?.type === "empty" ? EMPTY_TURN : scriptedTurn(scenario, conversation.turnIndex);
    const plan = planTurn({
      turn: thinksOnRequest(route, body) ? scripted : { ...scripted, thinking: "" },
      prefill: conversation.prefill,
      prefillText: conversation.prefillText,
      inputTokens: estimateInputTokens(body),
      maxTokens: requestedMaxTokens(route, body),
    });
    const meta: ResponseMeta = { id: hexId(), model: b.model, created: Math.floor(Date.now() / 1000), variants };
    const reasoningSplit = b.reasoning_split === true;
    const streamFault = applied?.type === "empty" ? null : applied;

    if (stream) {
      record.status = 200;
      const frames =
        route === "anthropic"
          ? anthropicFrames(plan, meta, wordsPerChunk)
          : openaiFrames(plan, meta, reasoningSplit, wordsPerChunk);
      const onChunk = options.onChunk;
      const onPacedWrite = onChunk
        ? (frame: SseFrame, at: number) => onChunk({ request: record, text: chunkText(frame), at })
        : undefined;
      return writeStream(res, frames, streamFault, delayMs, signal, onPacedWrite);
    }

    const message = route === "anthropic" ? anthropicMessage(plan, meta) : openaiCompletion(plan, meta, reasoningSplit);
    record.status = await writeMessage(res, JSON.stringify(message), streamFault, signal);
  }

  async function handleControl(path: string, req: IncomingMessage, res: ServerResponse) {
    if (req.method === "GET" && path === "/__emulator/requests") return sendJson(res, 200, requests);
    if (req.method !== "POST") return sendJson(res, 405, { error: "use POST" });
    const text = await readBody(req);
    const body = text.trim() === "" ? null : parseJsonOr(text, null);
    switch (path) {
      case "/__emulator/fault":
        if (body !== null && !FAULT_TYPES.has((body as { type?: string }).type ?? "")) {
          return sendJson(res, 400, { error: "expected a Fault object or null" });
        }
        setFault(body as Fault | null);
        return sendJson(res, 200, { fault });
      case "/__emulator/variants":
        if (typeof body !== "object" || body === null) return sendJson(res, 400, { error: "expected a JSON object" });
        variants = { ...variants, ...(body as Partial<WireVariants>) };
        return sendJson(res, 200, { variants });
      case "/__emulator/reset":
        reset();
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { error: `unknown control endpoint ${path}` });
    }
  }

  function dispatch(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> | void {
    const path = new URL(req.url ?? "/", "http://emulator").pathname;
    if (path.startsWith("/__emulator/")) return handleControl(path, req, res);
    const route = routeOf(req.method, path);
    if (route) return handleModelRequest(route, req, res, signal);
    if (req.method === "GET" && path === "/v1/models") {
      if (!hasAuth(headersOf(req))) return sendJson(res, 401, errorBody(errorForStatus(401), hexId()));
      const data = MODEL_IDS.map((id) => ({ id, object: "model", created: 1761264000, owned_by: "minimax" }));
      return sendJson(res, 200, { object: "list", data });
    }
    const notFound = { status: 404, type: "not_found_error", message: `unknown path ${req.method} ${path}` };
    sendJson(res, 404, errorBody(notFound, hexId()));
  }

  const server = createServer((req, res) => {
    // Aborts pacing and stalls when the client goes away or close() drops the connection.
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    Promise.resolve(dispatch(req, res, controller.signal)).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const failure = { ...errorForStatus(500), message: `emulator failure: ${String(error)} (1000)` };
      sendJson(res, 500, errorBody(failure, hexId()));
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(":") ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}`,
        requests,
        setFault,
        setVariants(next) {
          variants = { ...variants, ...next };
        },
        reset,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Streams that stall or wait on a slow client would otherwise keep close() pending.
            server.closeAllConnections();
          }),
      });
    });
  });
}
