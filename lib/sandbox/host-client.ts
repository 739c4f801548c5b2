import * as childProcess from "node:child_process";
import { EventEmitter } from "node:events";
import { join } from "node:path";
import type { ResourceLimits } from "node:worker_threads";
import type { SandboxPriority } from "./types";

/**
 * The app's side of the sandbox host (lib/sandbox/worker/host.mjs): one child process, run
 * at a lower CPU priority as a whole, in which the pool's worker threads live. A
 * `RemoteWorker` stands for one of them with the part of worker_threads' Worker the pool
 * uses (message/error/exit events, postMessage, terminate, ref/unref) plus `stop()`, which
 * raises the worker's stop flag (a SharedArrayBuffer that can't cross processes).
 *
 * The host starts with the first worker and again after it dies (every worker it held then
 * reports an error and exits, so their runs end "crashed"); `onRestart` tells the pool, whose
 * Python snapshot lived in the dead process. It gets no environment but NODE_ENV (its
 * priority comes as its argument): the app's secrets are not in the process that runs
 * untrusted code.
 */

/** The fields of a worker's `error` event that cross the process boundary. */
interface HostError {
  name: string;
  message: string;
  code?: string;
}

type HostEvent =
  | { event: "ready" }
  | { id: string; event: "message"; message: unknown }
  | { id: string; event: "error"; error: HostError }
  | { id: string; event: "exit"; code: number };

/**
 * child_process.fork, reached so that Next's bundler does not try to bundle the host file
 * (as it does for `new Worker(file)`: lib/sandbox/pool.ts).
 */
const fork = Reflect.get(childProcess, "fork") as typeof childProcess.fork;

/** One worker thread in the host process, as the pool sees it. Events: "message", "error", "exit". */
export class RemoteWorker extends EventEmitter {
  private exited = false;
  private referenced = true;

  constructor(
    readonly id: string,
    private readonly host: SandboxHost,
  ) {
    super();
  }

  /** Sends the worker a message (structured-clone data only). */
  postMessage(message: unknown): void {
    this.host.command({ op: "post", id: this.id, message });
  }

  /** Raises the worker's stop flag: Python gets a KeyboardInterrupt, QuickJS's interrupt handler fires. */
  stop(): void {
    this.host.command({ op: "stop", id: this.id });
  }

  /** Terminates the worker; resolves once it has exited. */
  terminate(): Promise<void> {
    if (this.exited) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.once("exit", () => resolve()));
    this.host.command({ op: "terminate", id: this.id });
    return exited;
  }

  /** Lets the app's process exit while this worker lives (an idle warm worker). */
  unref(): void {
    if (!this.referenced) return;
    this.referenced = false;
    this.host.release();
  }

  /** Keeps the app's process alive while this worker lives (one that is warming or running). */
  ref(): void {
    if (this.referenced || this.exited) return;
    this.referenced = true;
    this.host.hold();
  }

  /** Called by the host client: the worker failed (emitted only when someone listens, as an unheard "error" would throw). */
  failed(error: Error): void {
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }

  /** Called by the host client: the worker is gone. */
  ended(code: number): void {
    if (this.exited) return;
    this.exited = true;
    if (this.referenced) this.host.release();
    this.referenced = false;
    this.emit("exit", code);
  }
}

/** A running host process and the workers in it. */
interface HostProcess {
  child: childProcess.ChildProcess;
  workers: Map<string, RemoteWorker>;
}

export class SandboxHost {
  private current?: HostProcess;
  private nextId = 0;
  private holds = 0;
  private closed = false;

  /**
   * @param root the project root (where lib/sandbox/worker/host.mjs is)
   * @param nice the host's CPU priority (Linux), for all of its threads: a niceness 0–19 or "idle" (pool.ts SandboxPriority)
   * @param onRestart called when a host process is gone (the next worker starts a new one)
   */
  constructor(
    private readonly root: string,
    private readonly nice: SandboxPriority,
    private readonly onRestart: () => void,
  ) {}

  /** Starts a worker thread in the host (starting the host first if needed). */
  spawn(data: Record<string, unknown>, resourceLimits: ResourceLimits | undefined): RemoteWorker {
    const host = this.process();
    const worker = new RemoteWorker(`w${this.nextId++}`, this);
    host.workers.set(worker.id, worker);
    this.hold();
    this.command({ op: "spawn", id: worker.id, data, resourceLimits });
    return worker;
  }

  /** Sends the host a command; dropped when the host is gone (its workers have exited already). */
  command(message: Record<string, unknown>): void {
    const child = this.current?.child;
    if (child?.connected) child.send(message);
  }

  /** One more worker that keeps the app alive. */
  hold(): void {
    this.holds++;
    this.current?.child.channel?.ref();
  }

  /** One fewer; with none left, the host no longer keeps the app's process alive. */
  release(): void {
    this.holds = Math.max(0, this.holds - 1);
    if (this.holds === 0) this.current?.child.channel?.unref();
  }

  /** Stops the host and everything in it; resolves once the process has exited. */
  async close(): Promise<void> {
    this.closed = true;
    const host = this.current;
    if (!host) return;
    const exited = new Promise<void>((resolve) => host.child.once("exit", () => resolve()));
    host.child.ref(); // until it has exited: whoever awaits close() must not see the loop run dry
    host.child.kill("SIGKILL"); // the host ignores SIGTERM (worker/host.mjs)
    await exited;
  }

  private process(): HostProcess {
    if (this.closed) throw new Error("the sandbox pool is closed");
    if (this.current) return this.current;
    const child = fork(join(this.root, "lib/sandbox/worker/host.mjs"), [String(this.nice)], {
      execArgv: [],
      env: { NODE_ENV: "production" },
      serialization: "advanced",
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const host: HostProcess = { child, workers: new Map() };
    this.current = host;
    child.unref();
    if (this.holds === 0) child.channel?.unref();
    child.on("message", (event: HostEvent) => {
      if (event.event === "ready") return;
      const worker = host.workers.get(event.id);
      if (!worker) return;
      if (event.event === "exit") {
        host.workers.delete(event.id);
        worker.ended(event.code);
      } else if (event.event === "error") {
        worker.failed(Object.assign(new Error(event.error.message), event.error));
      } else worker.emit("message", event.message);
    });
    child.once("exit", () => {
      if (this.current === host) this.current = undefined;
      for (const worker of host.workers.values()) {
        worker.failed(Object.assign(new Error("the sandbox host process exited"), { code: "ERR_SANDBOX_HOST" }));
        worker.ended(1);
      }
      host.workers.clear();
      this.onRestart();
    });
    return host;
  }
}
