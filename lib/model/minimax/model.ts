import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { toAnthropicRequest } from "./anthropic-request";
import { AnthropicStreamParser, anthropicMessageEvents } from "./anthropic-stream";
import { callWarnings, functionTools, isPrefill, type MiniMaxSettings } from "./call-settings";
import { baseRespError, droppedError, envelopeError, httpError, ModelCallError, malformedError } from "./errors";
import { prefillEndsInThinking, toOpenAIRequest } from "./openai-request";
import { OpenAIStreamParser } from "./openai-stream";
import { SseDataDecoder } from "./sse";
import type { Emit, WireStreamParser } from "./stream-parts";
import { fetchTransport, nodeHttpTransport, readBodyText } from "./transport";
import { DEFAULT_STALL_TIMEOUT_MS, UpstreamCall } from "./upstream-call";

export function endpointUrl(settings: MiniMaxSettings): string {
  const base = settings.baseURL.replace(/\/+$/, "");
  return settings.route === "anthropic" ? `${base}/anthropic/v1/messages` : `${base}/v1/chat/completions`;
}

function requestHeaders(
  settings: MiniMaxSettings,
  options: LanguageModelV4CallOptions,
  stream: boolean,
): Record<string, string> {
  const auth: Record<string, string> =
    settings.route === "anthropic"
      ? { "x-api-key": settings.apiKey, "anthropic-version": "2023-06-01" }
      : { authorization: `Bearer ${settings.apiKey}` };
  const extra = Object.entries(options.headers ?? {}).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return {
    "content-type": "application/json",
    accept: stream ? "text/event-stream" : "application/json",
    ...auth,
    ...Object.fromEntries(extra),
  };
}

function requestBody(settings: MiniMaxSettings, options: LanguageModelV4CallOptions, stream: boolean): object {
  if (settings.route === "anthropic")
    return { ...toAnthropicRequest(options, settings), ...(stream && { stream: true }) };
  // vLLM/SGLang only report usage on a stream when asked
  return {
    ...toOpenAIRequest(options, settings),
    ...(stream && { stream: true, stream_options: { include_usage: true } }),
  };
}

function createParser(settings: MiniMaxSettings, options: LanguageModelV4CallOptions, emit: Emit): WireStreamParser {
  if (settings.route === "anthropic") return new AnthropicStreamParser(emit, functionTools(options));
  const prefill = isPrefill(options.prompt);
  return new OpenAIStreamParser(emit, {
    initial: !prefill ? "detect" : prefillEndsInThinking(options.prompt, settings) ? "thinking" : "text",
    reasoningSplit: settings.reasoningSplit === true,
    tools: functionTools(options),
  });
}

/** A whole JSON response as the frames the parsers understand. */
function wholeResponseFrames(settings: MiniMaxSettings, payload: unknown): unknown[] {
  return settings.route === "anthropic" ? anthropicMessageEvents(payload) : [payload];
}

/** Parse a JSON body and turn MiniMax's error envelopes (even on HTTP 200) into errors. */
function parseJsonBody(text: string): unknown {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw malformedError("a response body that is not JSON", error);
  }
  const failure = envelopeError(payload) ?? baseRespError(payload);
  if (failure) throw failure;
  return payload;
}

/** Parts a consumer may fall behind by before the connection is paused. */
const PART_BUFFER = 64;

async function post(settings: MiniMaxSettings, options: LanguageModelV4CallOptions, stream: boolean) {
  const url = endpointUrl(settings);
  const body = requestBody(settings, options, stream);
  const call = new UpstreamCall(settings.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS, options.abortSignal);
  const transport = settings.fetch ? fetchTransport(settings.fetch) : nodeHttpTransport;
  const response = await call.send(transport, {
    url,
    headers: requestHeaders(settings, options, stream),
    body: JSON.stringify(body),
  });
  const readText = async () => {
    try {
      return await call.waitFor(readBodyText(response.body));
    } catch (error) {
      throw call.failure(error, () => droppedError(error));
    } finally {
      call.close();
    }
  };
  if (response.status < 200 || response.status > 299) throw httpError(response.status, await readText());
  return { url, body, call, response, readText };
}

/**
 * Where a call's stream parts go: the web stream doStream returns, or a consumer called
 * synchronously (`streamPartsOf`). `wantsMore()` false: the consumer is behind, pause the socket.
 */
interface PartSink {
  part(part: LanguageModelV4StreamPart): void;
  close(): void;
  error(error: unknown): void;
  wantsMore(): boolean;
}

/** A sent call's reply, not yet read: `start` feeds its parts to a sink, once. */
interface PartSource {
  request: { url: string; body: object };
  headers: Record<string, string>;
  start(sink: PartSink): void;
  /** the sink wants more again (web stream: pulled) */
  resume(): void;
  /** the consumer is gone: drop the connection */
  cancel(): void;
}

/** Sends the streaming request and returns its reply as a PartSource (throws on an HTTP or transport error). */
async function openPartSource(settings: MiniMaxSettings, options: LanguageModelV4CallOptions): Promise<PartSource> {
  const warnings = callWarnings(options, settings);
  const { url, body, call, response, readText } = await post(settings, options, true);
  const request = { url, body };
  const { headers } = response;
  const isEventStream = headers["content-type"]?.includes("text/event-stream") ?? true;
  if (!isEventStream) {
    // a server that ignored stream:true (or a legacy error on HTTP 200)
    const payload = parseJsonBody(await readText());
    return {
      request,
      headers,
      start(sink) {
        sink.part({ type: "stream-start", warnings });
        replayFrames(settings, options, payload, (part) => sink.part(part));
        sink.close();
      },
      resume() {},
      cancel() {},
    };
  }
  const source = response.body;
  const lines = new SseDataDecoder();
  let settled = false;
  return {
    request,
    headers,
    // The body is pushed in as it arrives and paused only when the consumer falls behind.
    start(sink) {
      const parser = createParser(settings, options, (part) => sink.part(part));
      const onData = (data: string) => {
        if (parser.status !== "streaming") return;
        if (data === "[DONE]") return parser.end();
        let frame: unknown;
        try {
          frame = JSON.parse(data);
        } catch (error) {
          return parser.fail(malformedError(`an event that is not JSON (${JSON.stringify(data.slice(0, 60))})`, error));
        }
        if (options.includeRawChunks) sink.part({ type: "raw", rawValue: frame });
        parser.push(frame);
      };
      const settle = (ending: () => void) => {
        if (settled) return;
        settled = true;
        call.close();
        ending();
      };
      const fail = (error: unknown) =>
        settle(() => {
          const failure = call.failure(error, () => droppedError(error));
          if (!(failure instanceof ModelCallError)) return sink.error(failure);
          parser.fail(failure);
          sink.close();
        });

      sink.part({ type: "stream-start", warnings });
      source.on("data", (bytes: Buffer) => {
        if (settled) return;
        lines.push(bytes, onData);
        if (parser.status !== "streaming") {
          // A complete reply's connection drains (the rest ignored) back to the pool for
          // the next turn; a broken one is dropped.
          if (parser.status === "failed") source.destroy();
          return settle(() => sink.close());
        }
        if (sink.wantsMore()) {
          call.expecting();
        } else {
          source.pause();
          call.notExpecting();
        }
      });
      source.on("end", () =>
        settle(() => {
          lines.end(onData);
          parser.end();
          sink.close();
        }),
      );
      source.on("error", fail);
      source.on("close", () => fail(droppedError()));
      call.expecting();
    },
    resume() {
      if (!settled && source.isPaused()) {
        call.expecting();
        source.resume();
      }
    },
    cancel() {
      settled = true;
      call.abort();
      source.destroy();
    },
  };
}

async function doStream(
  settings: MiniMaxSettings,
  options: LanguageModelV4CallOptions,
): Promise<LanguageModelV4StreamResult> {
  const source = await openPartSource(settings, options);
  const stream = new ReadableStream<LanguageModelV4StreamPart>(
    {
      start(controller) {
        source.start({
          part: (part) => controller.enqueue(part),
          close: () => controller.close(),
          error: (error) => controller.error(error),
          wantsMore: () => (controller.desiredSize ?? 1) > 0,
        });
      },
      pull() {
        source.resume();
      },
      cancel() {
        source.cancel();
      },
    },
    new CountQueuingStrategy({ highWaterMark: PART_BUFFER }),
  );
  return { stream, request: source.request, response: { headers: source.headers } };
}

/**
 * The parts of a streaming call handed to `onPart` as they are parsed, in the same tick as
 * the bytes they came in: no web stream, no promise per part (the run loop's path for our
 * own model; README Performance). The same parts, in the same order, as doStream's stream.
 * Resolves once the reply has ended (an error part included: the parsers end with one);
 * rejects with a transport error, or with what `onPart` threw (the call is then dropped).
 */
export type StreamParts = (
  options: LanguageModelV4CallOptions,
  onPart: (part: LanguageModelV4StreamPart) => void,
) => Promise<void>;

async function streamParts(
  settings: MiniMaxSettings,
  options: LanguageModelV4CallOptions,
  onPart: (part: LanguageModelV4StreamPart) => void,
): Promise<void> {
  const source = await openPartSource(settings, options);
  return new Promise((resolve, reject) => {
    let failed = false;
    const stop = (error: unknown) => {
      if (failed) return;
      failed = true;
      source.cancel();
      reject(error);
    };
    source.start({
      part(part) {
        if (failed) return;
        try {
          onPart(part);
        } catch (error) {
          stop(error);
        }
      },
      close: () => {
        if (!failed) resolve();
      },
      error: stop,
      wantsMore: () => true,
    });
  });
}

const partStreams = new WeakMap<LanguageModelV4, StreamParts>();

/** The synchronous way to a model's parts when it is one of ours (createMiniMaxModel), else undefined. */
export function streamPartsOf(model: LanguageModelV4): StreamParts | undefined {
  return partStreams.get(model);
}

function replayFrames(
  settings: MiniMaxSettings,
  options: LanguageModelV4CallOptions,
  payload: unknown,
  emit: Emit,
): void {
  const parser = createParser(settings, options, emit);
  for (const frame of wholeResponseFrames(settings, payload)) parser.push(frame);
  parser.end();
}

/** Stream parts folded into the content of a non-streaming result. */
export function collectContent(parts: readonly LanguageModelV4StreamPart[]): {
  content: LanguageModelV4Content[];
  finishReason: LanguageModelV4FinishReason;
  usage: LanguageModelV4Usage;
} {
  const content: LanguageModelV4Content[] = [];
  const open = new Map<string, Extract<LanguageModelV4Content, { type: "text" | "reasoning" }>>();
  for (const part of parts) {
    switch (part.type) {
      case "text-start":
      case "reasoning-start": {
        const entry = { type: part.type === "text-start" ? ("text" as const) : ("reasoning" as const), text: "" };
        open.set(part.id, entry);
        content.push(entry);
        break;
      }
      case "text-delta":
      case "reasoning-delta": {
        const entry = open.get(part.id);
        if (entry) entry.text += part.delta;
        break;
      }
      case "text-end":
      case "reasoning-end": {
        const entry = open.get(part.id);
        if (entry && part.providerMetadata) entry.providerMetadata = part.providerMetadata;
        open.delete(part.id);
        break;
      }
      case "tool-call":
        content.push(part);
        break;
      case "finish":
        return { content, finishReason: part.finishReason, usage: part.usage };
      case "error":
        throw part.error;
    }
  }
  throw malformedError("a response that never says it is finished");
}

async function doGenerate(
  settings: MiniMaxSettings,
  options: LanguageModelV4CallOptions,
): Promise<LanguageModelV4GenerateResult> {
  const warnings = callWarnings(options, settings);
  const { url, body, readText, response } = await post(settings, options, false);
  const { headers } = response;
  const payload = parseJsonBody(await readText());
  const parts: LanguageModelV4StreamPart[] = [];
  replayFrames(settings, options, payload, (part) => parts.push(part));
  const { content, finishReason, usage } = collectContent(parts);
  return {
    content,
    finishReason,
    usage,
    warnings,
    request: { url, body },
    response: { headers, body: payload },
  };
}

export function createMiniMaxModel(settings: MiniMaxSettings): LanguageModelV4 {
  const model: LanguageModelV4 = {
    specificationVersion: "v4",
    provider: "minimax",
    modelId: settings.modelId,
    supportedUrls: {},
    doGenerate: (options) => doGenerate(settings, options),
    doStream: (options) => doStream(settings, options),
  };
  partStreams.set(model, (options, onPart) => streamParts(settings, options, onPart));
  return model;
}
