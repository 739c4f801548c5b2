/**
 * The benchmark's emulator, in a worker thread of its own: writing 50 streams' chunks and
 * planning 50 replies at every turn boundary must not hold up the viewers' reads on the
 * main thread, or the harness would measure its own event loop instead of the app.
 * The worker records, per bench key, when each word-carrying chunk went to the socket;
 * the main thread asks for the traces once the runs are over.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { startEmulator } from "../../lib/model/emulator/server";
import type { ChunkWritten, RecordedRequest } from "../../lib/model/emulator/types";
import { addPiece, BENCH_MARKER, type TurnTrace } from "./trace";

export interface EmulatorThreadOptions {
  port: number;
  chunkDelayMs: number;
  wordsPerChunk: number;
}

export interface EmulatorThread {
  url: string;
  /** upstream chunks per bench key, one trace per model request, in order */
  traces(): Promise<Map<string, TurnTrace[]>>;
  close(): Promise<void>;
}

type FromWorker =
  | { type: "ready"; url: string }
  | { type: "failed"; message: string }
  | { type: "traces"; traces: [string, TurnTrace[]][] }
  | { type: "closed" };

export function startEmulatorThread(options: EmulatorThreadOptions): Promise<EmulatorThread> {
  // A worker doesn't inherit tsx's loader: register it there before loading this file.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
    .then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { benchEmulator: options } });
  const next = (type: FromWorker["type"]) =>
    new Promise<FromWorker>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type !== type && message.type !== "failed") return;
        worker.off("message", onMessage);
        if (message.type === "failed") reject(new Error(`emulator thread: ${message.message}`));
        else resolve(message);
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  return next("ready").then((ready) => ({
    url: ready.type === "ready" ? ready.url : "",
    async traces() {
      const reply = next("traces");
      worker.postMessage({ type: "traces" });
      const message = await reply;
      return new Map(message.type === "traces" ? message.traces : []);
    },
    async close() {
      const reply = next("closed");
      worker.postMessage({ type: "close" });
      await reply.catch(() => {});
      await worker.terminate();
    },
  }));
}

function firstUserText(body: unknown): string {
  const messages = (body as { messages?: Array<{ role?: string; content?: unknown }> } | null)?.messages;
  const first = messages?.find((m) => m.role === "user");
  if (!first) return "";
  if (typeof first.content === "string") return first.content;
  if (Array.isArray(first.content)) {
    return first.content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("");
  }
  return "";
}

async function serve(options: EmulatorThreadOptions, port: NonNullable<typeof parentPort>): Promise<void> {
  const upstreamByKey = new Map<string, TurnTrace[]>();
  const traceOf = new WeakMap<RecordedRequest, TurnTrace | null>();
  const onChunk = ({ request, text, at }: ChunkWritten) => {
    let trace = traceOf.get(request);
    if (trace === undefined) {
      const key = BENCH_MARKER.exec(firstUserText(request.body))?.[1];
      trace = key ? { text: "", pieces: [] } : null;
      if (key && trace) upstreamByKey.set(key, [...(upstreamByKey.get(key) ?? []), trace]);
      traceOf.set(request, trace);
    }
    // the emulator stamps with this thread's performance.now(); the main thread's clock is absolute
    if (trace) addPiece(trace, text, performance.timeOrigin + at);
  };
  const emulator = await startEmulator({ ...options, onChunk });
  port.on("message", async (message: { type: string }) => {
    if (message.type === "traces") port.postMessage({ type: "traces", traces: [...upstreamByKey] });
    if (message.type === "close") {
      await emulator.close().catch(() => {});
      port.postMessage({ type: "closed" });
    }
  });
  port.postMessage({ type: "ready", url: emulator.url });
}

if (!isMainThread && parentPort && workerData?.benchEmulator) {
  const port = parentPort;
  serve(workerData.benchEmulator as EmulatorThreadOptions, port).catch((error: unknown) =>
    port.postMessage({ type: "failed", message: error instanceof Error ? error.message : String(error) }),
  );
}
