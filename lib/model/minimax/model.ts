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

async function post(settings: MiniMaxSettings, options: LanguageModelV4CallOptions, stream: boolean) {
  const url = endpointUrl(settings);
  const body = requestBody(settings, options, stream);
  const call = new UpstreamCall(settings.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS, options.abortSignal);
  const response = await call.send(settings.fetch ?? fetch, url, {
    method: "POST",
    headers: requestHeaders(settings, options, stream),
    body: JSON.stringify(body),
  });
  const readText = async () => {
    try {
      return await call.waitFor(response.text());
    } catch (error) {
      throw call.failure(error, () => droppedError(error));
    } finally {
      call.close();
    }
  };
  if (!response.ok) throw httpError(response.status, await readText());
  return { url, body, call, response, readText, headers: Object.fromEntries(response.headers) };
}

async function doStream(
  settings: MiniMaxSettings,
  options: LanguageModelV4CallOptions,
): Promise<LanguageModelV4StreamResult> {
  const warnings = callWarnings(options, settings);
  const { url, body, call, response, readText, headers } = await post(settings, options, true);
  const request = { url, body };
  const isEventStream = response.headers.get("content-type")?.includes("text/event-stream") ?? true;
  if (!isEventStream || !response.body) {
    // a server that ignored stream:true (or a legacy error on HTTP 200)
    const payload = parseJsonBody(await readText());
    return { stream: wholeResponseStream(settings, options, payload, warnings), request, response: { headers } };
  }
  const reader = response.body.getReader();
  const lines = new SseDataDecoder();
  let parser: WireStreamParser;
  let onData: (data: string) => void;
  let emitted = 0;

  const stream = new ReadableStream<LanguageModelV4StreamPart>({
    start(controller) {
      parser = createParser(settings, options, (part) => {
        emitted++;
        controller.enqueue(part);
      });
      onData = (data) => {
        if (parser.status !== "streaming") return;
        if (data === "[DONE]") return parser.end();
        let frame: unknown;
        try {
          frame = JSON.parse(data);
        } catch (error) {
          return parser.fail(malformedError(`an event that is not JSON (${JSON.stringify(data.slice(0, 60))})`, error));
        }
        if (options.includeRawChunks) controller.enqueue({ type: "raw", rawValue: frame });
        parser.push(frame);
      };
      controller.enqueue({ type: "stream-start", warnings });
    },
    // Reads until something was emitted: a pull that enqueues nothing is not called again.
    async pull(controller) {
      const emittedBefore = emitted;
      while (emitted === emittedBefore) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await call.waitFor(reader.read());
        } catch (error) {
          call.close();
          const failure = call.failure(error, () => droppedError(error));
          if (!(failure instanceof ModelCallError)) return controller.error(failure);
          parser.fail(failure);
          return controller.close();
        }
        if (chunk.done) {
          lines.end(onData);
          parser.end();
        } else {
          lines.push(chunk.value, onData);
        }
        if (parser.status !== "streaming") {
          call.close();
          if (!chunk.done) reader.cancel().catch(() => {});
          return controller.close();
        }
      }
    },
    cancel(reason) {
      call.abort();
      return reader.cancel(reason).catch(() => {});
    },
  });
  return { stream, request, response: { headers } };
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

function wholeResponseStream(
  settings: MiniMaxSettings,
  options: LanguageModelV4CallOptions,
  payload: unknown,
  warnings: ReturnType<typeof callWarnings>,
): ReadableStream<LanguageModelV4StreamPart> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue({ type: "stream-start", warnings });
      replayFrames(settings, options, payload, (part) => controller.enqueue(part));
      controller.close();
    },
  });
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
  const { url, body, readText, headers } = await post(settings, options, false);
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
  return {
    specificationVersion: "v4",
    provider: "minimax",
    modelId: settings.modelId,
    supportedUrls: {},
    doGenerate: (options) => doGenerate(settings, options),
    doStream: (options) => doStream(settings, options),
  };
}
