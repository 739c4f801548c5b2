/**
 * A sandbox worker thread: loads one interpreter (Pyodide or QuickJS), hardens its own
 * realm, says "ready", runs exactly one job, says "done", and is terminated by the pool.
 * Plain JavaScript so that it runs as it is under `next start`, tsx and vitest alike.
 *
 * workerData: { language: "python" | "javascript", mode: "run" | "snapshot",
 *   interrupt: SharedArrayBuffer (Int32 at 0: non-zero = stop now), snapshot?: SharedArrayBuffer,
 *   nice: number (this thread's CPU niceness, 0–19: see priority.mjs),
 *   sources: { runner, pytest } | { expect, harness } }
 * Messages to the pool: see WorkerMessage in lib/sandbox/types.ts.
 */
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import { capMemory, lockDownRealm } from "./lockdown.mjs";
import { blockNetwork } from "./network.mjs";
import { OutputSink } from "./output.mjs";
import { lowerThreadPriority } from "./priority.mjs";

// What Pyodide prints on its own (its fatal errors) reaches the pool in the run's report;
// keep it out of the server's log. (Piping the worker's stdio instead would keep the
// process alive after the pool is done: Node's stdio port ignores worker.unref().)
for (const method of ["log", "info", "warn", "error", "debug", "trace"]) console[method] = () => {};

const port = parentPort;
const post = (message) => port.postMessage(message);
const { language, mode, interrupt, snapshot, sources, nice } = workerData;
// First, before any interpreter loads: loading Pyodide is the costliest CPU burst here.
lowerThreadPriority(nice);
const stopFlag = new Int32Array(interrupt);
const network = blockNetwork();
const memory = { maxBytes: Number.POSITIVE_INFINITY, onRefused: undefined };
capMemory(memory);

/**
 * Waits until this thread's event loop is idle: loading an interpreter leaves work queued
 * (Pyodide: ~0.3–1 s of it) that would otherwise delay the job message of the first run.
 */
async function settle() {
  let quiet = 0;
  for (let i = 0; i < 100 && quiet < 2; i++) {
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 0));
    quiet = performance.now() - start < 10 ? quiet + 1 : 0;
  }
}

async function main() {
  const engine = language === "python" ? await import("./python.mjs") : await import("./quickjs.mjs");
  if (mode === "snapshot") {
    // only Python has a snapshot (the pool never asks QuickJS for one)
    const bytes = await engine.makeSnapshot(sources);
    const shared = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(shared).set(bytes);
    post({ type: "snapshot", snapshot: shared, networkAttempts: network.attempts() });
    return;
  }

  const output = new OutputSink(post, () => Atomics.store(stopFlag, 0, 2));
  let memoryReported = false;
  const reportMemory = () => {
    if (memoryReported) return;
    memoryReported = true;
    post({ type: "limit", kind: "memory", message: "memory limit reached" });
  };
  const sandbox = await engine.prepare({
    snapshot,
    sources,
    stopFlag,
    output,
    reportEvent: (event) => {
      output.flush();
      post({ type: "event", event });
    },
    reportMemory,
  });
  lockDownRealm();
  await settle();
  post({ type: "ready", networkAttempts: network.attempts() });

  port.once("message", async (job) => {
    output.capBytes = job.limits.outputBytes;
    memory.maxBytes = sandbox.memoryCap(job.limits.memoryBytes);
    memory.onRefused = reportMemory;
    let error;
    try {
      await sandbox.run(job);
    } catch (caught) {
      error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    }
    output.flush();
    const memoryBytes = sandbox.memoryBytes() + getHeapStatistics().used_heap_size;
    post({ type: "done", ...(error ? { error } : {}), networkAttempts: network.attempts(), memoryBytes });
  });
}

main().catch((error) => {
  post({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
});
