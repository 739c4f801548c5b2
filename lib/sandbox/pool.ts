/**
 * Warm sandbox workers and the runs on them. Every run gets a worker of its own that
 * loaded its interpreter before the run was asked for (so Pyodide's start-up is off the
 * user's path) and is terminated after that one run: nothing of one run — interpreter
 * state, files, JS realm — can be seen by the next, whatever the code did.
 *
 * Limits: wall time (at the limit the worker's stop flag is raised — Python gets a
 * KeyboardInterrupt, QuickJS's interrupt handler fires — and the worker is terminated
 * `graceMs` later whatever it does), memory (the interpreter's own cap inside the worker,
 * plus the worker's V8 heap limit), output (counted in the worker, checked again here).
 *
 * The workers live in the pool's sandbox host, a child process running at the `nice`
 * priority as a whole (host-client.ts, worker/host.mjs), not in the app's process.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { type RemoteWorker, SandboxHost } from "./host-client";
import { appendOutput, emptyOutput, interpreterFailure, type RunRecord } from "./report";
import type { RunnerEvent, RunOutcome, SandboxLanguage, SandboxLimits, SandboxPriority, WorkerMessage } from "./types";

/** The two interpreters; TypeScript and JavaScript share QuickJS. */
export type Engine = "python" | "javascript";

/** The niceness threads get under a priority: "idle" also sets niceness 19 (what is left where SCHED_IDLE can't be set). */
export const nicenessOf = (priority: SandboxPriority): number => (priority === "idle" ? 19 : priority);

export const engineFor = (language: SandboxLanguage): Engine => (language === "python" ? "python" : "javascript");

export interface PoolOptions {
  /** warm workers kept ready per engine (0: start one when a run asks) */
  warmWorkers: number;
  /** runs at once; more wait in line */
  maxRunning: number;
  /** V8 heap of each worker (the glue around the interpreter), in MiB */
  workerHeapMb: number;
  /** after a limit stops a run, how long the worker gets to report before it is terminated, in ms */
  graceMs: number;
  /**
   * CPU priority of the sandbox host process, all its threads (Linux; elsewhere ignored):
   * at "idle" (the default) the app's threads, which relay every stream, win a contested
   * core the moment they wake
   */
  nice: SandboxPriority;
  /** the project root, where lib/sandbox and lib/generated live */
  root: string;
}

export function defaultPoolOptions(): PoolOptions {
  return {
    warmWorkers: 2,
    maxRunning: Math.max(1, availableParallelism()),
    workerHeapMb: 128,
    graceMs: 1000,
    nice: "idle",
    root: process.cwd(),
  };
}

type Worker = RemoteWorker;

interface WarmWorker {
  worker: Worker;
}

type Sources = Record<string, string>;

interface Waiter {
  resolve: (worker: WarmWorker) => void;
  reject: (error: Error) => void;
}

export interface RunJob {
  language: SandboxLanguage;
  files: Record<string, string>;
  testFiles: string[];
  limits: SandboxLimits;
}

export class SandboxPool {
  readonly options: PoolOptions;
  /** network calls the workers' guards refused, over the pool's life (the tests expect 0 outside attacks) */
  networkAttempts = 0;
  private sources = new Map<Engine, Sources>();
  /** the Python memory snapshot's id in the host process */
  private snapshot?: Promise<string>;
  private idle: Record<Engine, WarmWorker[]> = { python: [], javascript: [] };
  private warming: Record<Engine, number> = { python: 0, javascript: 0 };
  private waiters: Record<Engine, Waiter[]> = { python: [], javascript: [] };
  private running = 0;
  private queue: (() => void)[] = [];
  private closed = false;
  private live = new Set<Worker>();
  private readonly host: SandboxHost;

  constructor(options: Partial<PoolOptions> = {}) {
    this.options = { ...defaultPoolOptions(), ...options };
    this.host = new SandboxHost(this.options.root, this.options.nice, () => this.hostGone());
  }

  /** Fills the warm pools and resolves when each engine has `warmWorkers` ready workers. */
  async warmUp(engines: Engine[] = ["python", "javascript"]): Promise<void> {
    await Promise.all(
      engines.map(async (engine) => {
        const count = Math.max(1, this.options.warmWorkers);
        const workers = await Promise.all(Array.from({ length: count }, () => this.acquire(engine)));
        for (const warm of workers) this.toIdle(engine, warm);
        this.refill(engine);
      }),
    );
  }

  /** Runs one job on a fresh warm worker; never rejects for anything the code did. */
  async run(job: RunJob): Promise<RunRecord> {
    await this.slot();
    try {
      const engine = engineFor(job.language);
      let warm: WarmWorker;
      try {
        warm = await this.acquire(engine);
      } catch (error) {
        return this.failedRecord(job, `the ${engine} sandbox could not start: ${(error as Error).message}`);
      }
      // Refill after the run, not during it: loading an interpreter is a burst of CPU that
      // would slow the very run it replaces (a run that found no warm worker started one already).
      try {
        return await this.execute(warm, job);
      } finally {
        this.refill(engine);
      }
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const engine of ["python", "javascript"] as const) {
      for (const waiter of this.waiters[engine]) waiter.reject(new Error("the sandbox pool is closed"));
      this.waiters[engine] = [];
      this.idle[engine] = [];
    }
    this.live.clear();
    await this.host.close();
  }

  /** The host process died: its workers and the snapshot in it are gone; the next run starts a new one. */
  private hostGone(): void {
    this.snapshot = undefined;
    this.idle = { python: [], javascript: [] };
  }

  private slot(): Promise<void> {
    if (this.running < this.options.maxRunning) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }

  private readSources(engine: Engine): Sources {
    const cached = this.sources.get(engine);
    if (cached) return cached;
    const read = (path: string) => readFileSync(join(this.options.root, path), "utf8");
    let sources: Sources;
    if (engine === "python") {
      sources = { runner: read("lib/sandbox/python/sandbox_runner.py"), pytest: read("lib/sandbox/python/pytest.py") };
    } else {
      let expect: string;
      try {
        expect = read("lib/generated/sandbox/expect.js");
      } catch {
        throw new Error("lib/generated/sandbox/expect.js is missing: run `npm run sandbox:bundle` (npm install does)");
      }
      sources = { expect, harness: read("lib/sandbox/quickjs/harness.js") };
    }
    this.sources.set(engine, sources);
    return sources;
  }

  private spawn(engine: Engine, mode: "run" | "snapshot", snapshot?: string): WarmWorker {
    const worker = this.host.spawn(
      { language: engine, mode, snapshot, sources: this.readSources(engine), nice: nicenessOf(this.options.nice) },
      mode === "run"
        ? // 16 MiB of stack (default 4): Python recursion lives on it, and 50 000 pure-Python
          // frames (the recursion cap) must unwind as a RecursionError, not overflow it.
          { maxOldGenerationSizeMb: this.options.workerHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 16 }
        : undefined,
    );
    this.live.add(worker);
    worker.once("exit", () => this.live.delete(worker));
    return { worker };
  }

  private makeSnapshot(): Promise<string> {
    this.snapshot ??= new Promise<string>((resolve, reject) => {
      const { worker } = this.spawn("python", "snapshot");
      worker.on(
        "message",
        (message: { type: string; snapshot?: string; message?: string; networkAttempts?: number }) => {
          this.networkAttempts += message.networkAttempts ?? 0;
          if (message.type === "snapshot" && message.snapshot) resolve(message.snapshot);
          else reject(new Error(message.message ?? "the Python snapshot could not be made"));
          void worker.terminate();
        },
      );
      worker.once("error", reject);
      worker.once("exit", () => reject(new Error("the Python snapshot worker exited")));
    }).catch((error: unknown) => {
      this.snapshot = undefined;
      throw error;
    });
    return this.snapshot;
  }

  /**
   * Parks a ready worker. Idle workers don't keep the process alive (a server that stops,
   * or a script that is done, needn't close the pool); warming and running ones do, since
   * someone awaits them.
   */
  private toIdle(engine: Engine, warm: WarmWorker): void {
    warm.worker.unref();
    this.idle[engine].push(warm);
  }

  /** Takes a ready worker, or waits for the next one to be ready. */
  private acquire(engine: Engine): Promise<WarmWorker> {
    const ready = this.idle[engine].shift();
    if (ready) {
      ready.worker.ref();
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      this.waiters[engine].push({ resolve, reject });
      if (this.warming[engine] < this.waiters[engine].length) this.startWarming(engine);
    });
  }

  /** Keeps `warmWorkers` ready or warming for the engine. */
  private refill(engine: Engine): void {
    while (!this.closed && this.idle[engine].length + this.warming[engine] < this.options.warmWorkers) {
      this.startWarming(engine);
    }
  }

  private startWarming(engine: Engine): void {
    if (this.closed) return;
    this.warming[engine]++;
    const done = (result: WarmWorker | Error) => {
      this.warming[engine]--;
      const waiter = this.waiters[engine].shift();
      if (result instanceof Error) {
        waiter?.reject(result);
        return;
      }
      if (this.closed) void result.worker.terminate();
      else if (waiter) waiter.resolve(result);
      else this.toIdle(engine, result);
    };
    const start = async (): Promise<WarmWorker> => {
      const snapshot = engine === "python" ? await this.makeSnapshot() : undefined;
      const warm = this.spawn(engine, "run", snapshot);
      return await new Promise<WarmWorker>((resolve, reject) => {
        const onMessage = (message: WorkerMessage) => {
          cleanup();
          if (message.type === "ready") {
            this.networkAttempts += message.networkAttempts;
            resolve(warm);
          } else reject(new Error(message.type === "failed" ? message.message : `unexpected ${message.type}`));
        };
        const onError = (error: Error) => {
          cleanup();
          reject(error);
        };
        const onExit = () => {
          cleanup();
          reject(new Error("the sandbox worker exited while warming up"));
        };
        const cleanup = () => {
          warm.worker.off("message", onMessage);
          warm.worker.off("error", onError);
          warm.worker.off("exit", onExit);
        };
        warm.worker.on("message", onMessage);
        warm.worker.on("error", onError);
        warm.worker.on("exit", onExit);
      }).catch((error: Error) => {
        void warm.worker.terminate();
        throw error;
      });
    };
    start().then(done, (error: unknown) => done(error instanceof Error ? error : new Error(String(error))));
  }

  private failedRecord(job: RunJob, message: string): RunRecord {
    return {
      language: job.language,
      events: [],
      output: emptyOutput(),
      outcome: "crashed",
      outcomeMessage: message,
      durationMs: 0,
      testFiles: job.testFiles,
      limits: job.limits,
    };
  }

  private execute({ worker }: WarmWorker, job: RunJob): Promise<RunRecord> {
    const { limits } = job;
    const events: RunnerEvent[] = [];
    const output = emptyOutput();
    let outcome: RunOutcome = "completed";
    let outcomeMessage: string | undefined;
    let memoryBytes: number | undefined;
    const started = performance.now();
    let killTimer: NodeJS.Timeout | undefined;

    return new Promise<RunRecord>((resolve) => {
      let finished = false;
      const limitReached = (kind: "timeout" | "memory" | "output_limit") => {
        if (outcome === "completed") outcome = kind;
        if (kind === "memory") return;
        worker.stop();
        killTimer ??= setTimeout(() => finish(), this.options.graceMs);
      };
      const timer = setTimeout(() => limitReached("timeout"), limits.timeMs);
      const finish = (error?: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearTimeout(killTimer);
        worker.removeAllListeners("message");
        void worker.terminate();
        if (error && outcome === "completed") {
          outcome = "error";
          outcomeMessage = interpreterFailure(error);
        }
        resolve({
          language: job.language,
          events,
          output,
          outcome,
          ...(outcomeMessage ? { outcomeMessage } : {}),
          durationMs: performance.now() - started,
          ...(memoryBytes !== undefined ? { memoryBytes } : {}),
          testFiles: job.testFiles,
          limits,
        });
      };

      worker.on("message", (message: WorkerMessage) => {
        switch (message.type) {
          case "event":
            events.push(message.event);
            break;
          case "output":
            if (appendOutput(output, message.stream, message.text, limits.outputBytes)) limitReached("output_limit");
            break;
          case "limit":
            if (message.kind === "output_limit") output.truncated[message.stream] = true;
            limitReached(message.kind);
            break;
          case "done":
            this.networkAttempts += message.networkAttempts;
            memoryBytes = message.memoryBytes;
            finish(message.error);
            break;
          case "failed":
            finish(message.message);
            break;
        }
      });
      worker.once("error", (error: Error & { code?: string }) => {
        if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
          if (outcome === "completed") outcome = "memory";
          finish();
        } else {
          if (outcome === "completed") {
            outcome = "crashed";
            outcomeMessage = `The sandbox worker crashed: ${error.message}`;
          }
          finish();
        }
      });
      worker.once("exit", () => {
        if (!finished && outcome === "completed") {
          outcome = "crashed";
          outcomeMessage = "The sandbox worker exited unexpectedly.";
        }
        finish();
      });
      worker.postMessage({ type: "run", files: job.files, testFiles: job.testFiles, limits });
    });
  }
}
