import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { SseDataDecoder } from "./sse";
import type { WireStreamParser } from "./stream-parts";

/** Feeds SSE text to a parser in chunks of `chunkSize` bytes, as the model driver does. */
export function feedSse(parser: WireStreamParser, sse: string, chunkSize = sse.length): void {
  const bytes = new TextEncoder().encode(sse);
  const decoder = new SseDataDecoder();
  const onData = (data: string) => {
    if (parser.status !== "streaming") return;
    if (data === "[DONE]") return parser.end();
    parser.push(JSON.parse(data));
  };
  for (let at = 0; at < bytes.length; at += chunkSize) decoder.push(bytes.subarray(at, at + chunkSize), onData);
  decoder.end(onData);
  parser.end();
}

export interface Assembled {
  kind: "reasoning" | "text" | "tool-call";
  text: string;
  metadata?: unknown;
  toolName?: string;
}

/** Stream parts folded into whole parts, checking the start/delta/end grammar on the way. */
export function assemble(parts: readonly LanguageModelV4StreamPart[]): Assembled[] {
  const out: Assembled[] = [];
  const open = new Map<string, Assembled>();
  for (const part of parts) {
    switch (part.type) {
      case "reasoning-start":
      case "text-start": {
        if (open.has(part.id)) throw new Error(`part ${part.id} started twice`);
        const entry: Assembled = { kind: part.type === "text-start" ? "text" : "reasoning", text: "" };
        open.set(part.id, entry);
        out.push(entry);
        break;
      }
      case "reasoning-delta":
      case "text-delta": {
        const entry = open.get(part.id);
        if (!entry) throw new Error(`delta for unopened part ${part.id}`);
        entry.text += part.delta;
        break;
      }
      case "reasoning-end":
      case "text-end": {
        const entry = open.get(part.id);
        if (!entry) throw new Error(`end for unopened part ${part.id}`);
        if (part.providerMetadata) entry.metadata = part.providerMetadata.minimax;
        open.delete(part.id);
        break;
      }
      case "tool-call":
        out.push({
          kind: "tool-call",
          text: part.input,
          toolName: part.toolName,
          metadata: part.providerMetadata?.minimax,
        });
        break;
    }
  }
  if (open.size) throw new Error(`parts left open: ${[...open.keys()].join(", ")}`);
  return out;
}

export async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const reader = stream.getReader();
  const parts: T[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  return parts;
}
