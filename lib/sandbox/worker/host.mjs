/**
 * The sandbox host: a child process of the app (lib/sandbox/host-client.ts starts it) in which
 * every sandbox worker thread lives. Plain JavaScript, so it runs as it is under `next start`,
 * tsx and vitest alike.
 *
 * Why a process of its own: a worker thread's priority can be lowered (priority.mjs), but
 * the work V8 does for a worker's isolate on its shared helper threads — garbage collection,
 * compilation — runs at the priority of the process that owns those threads. In the app's
 * process that was half of a test run's CPU (bench:sandbox: 182 of 365 ms for Python),
 * competing with the relay at full priority. Here every thread, V8's helpers included, runs
 * at the sandbox's priority, and the app's environment (its secrets) is not even in the process.
 *
 * The protocol over the IPC channel (advanced serialization), each message naming a worker
 * by the id the app gave it:
 *   app → host: { op: "spawn", id, data, resourceLimits }   data is the worker's workerData
 *                 minus `interrupt` (made here) and with `snapshot` as a snapshot id or absent
 *               { op: "post", id, message }   { op: "stop", id }   { op: "terminate", id }
 *               { op: "forget-snapshot", snapshot }
 *   host → app: { id, event: "message", message }   a worker's "snapshot" message carries the
 *                 snapshot's id here, the bytes stay in this process
 *               { id, event: "error", error: { name, message, code } }
 *               { id, event: "exit", code }
 * Its one argument is the CPU priority for all of its threads (SANDBOX_NICE, passed on by
 * the app: a niceness 0–19, or "idle" for Linux's SCHED_IDLE policy over niceness 19; the
 * process gets no environment of the app's). The host exits when the app does (its IPC
 * channel closes) or kills it, and ignores SIGTERM and SIGINT.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { setPriority } from "node:os";
import { Worker } from "node:worker_threads";

const WORKER_FILE = new URL("./worker.mjs", import.meta.url);

/** @type {Map<string, { worker: Worker, stop: Int32Array }>} */
const workers = new Map();
/** @type {Map<string, SharedArrayBuffer>} */
const snapshots = new Map();
let nextSnapshot = 0;

/**
 * Sets the niceness of every thread this process has now (Linux: one thread each; the main
 * thread, V8's helpers, libuv's pool). Threads started later inherit it from their creator.
 * @param {number} nice 0–19
 */
function lowerEveryThread(nice) {
  let tasks = [];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    // no /proc: not Linux, priority stays as it is (the workers still try, priority.mjs)
  }
  for (const task of tasks) {
    try {
      setPriority(Number(task), nice);
    } catch {
      // the thread ended meanwhile
    }
  }
}

/**
 * Puts every thread this process has now under Linux's SCHED_IDLE policy, with util-linux's
 * chrt (`--all-tasks`; lowering one's own policy to SCHED_IDLE needs no privilege, sched(7)).
 * Threads started later inherit it from their creator. Absolute paths: the host has no PATH.
 * Where it fails (no chrt, not Linux) the niceness set before stays.
 */
function idleEveryThread() {
  for (const chrt of ["/usr/bin/chrt", "/bin/chrt"]) {
    try {
      execFileSync(chrt, ["--idle", "--all-tasks", "--pid", "0", String(process.pid)], { stdio: "ignore" });
      return;
    } catch {
      // not there, or refused: try the next, then keep the niceness alone
    }
  }
}

const send = (message) => {
  if (process.connected) process.send(message);
};

function spawn({ id, data, resourceLimits }) {
  const interrupt = new SharedArrayBuffer(4);
  const snapshot = data.snapshot === undefined ? undefined : snapshots.get(data.snapshot);
  const worker = new Worker(WORKER_FILE, {
    workerData: { ...data, interrupt, snapshot },
    resourceLimits,
    execArgv: [],
    env: {},
  });
  workers.set(id, { worker, stop: new Int32Array(interrupt) });
  worker.on("message", (message) => {
    if (message?.type === "snapshot" && message.snapshot instanceof SharedArrayBuffer) {
      const key = `s${nextSnapshot++}`;
      snapshots.set(key, message.snapshot);
      send({ id, event: "message", message: { ...message, snapshot: key } });
    } else send({ id, event: "message", message });
  });
  worker.on("error", (error) => {
    send({ id, event: "error", error: { name: error.name, message: error.message, code: error.code } });
  });
  worker.on("exit", (code) => {
    workers.delete(id);
    send({ id, event: "exit", code });
  });
}

process.on("message", (command) => {
  switch (command.op) {
    case "spawn":
      spawn(command);
      break;
    case "post":
      workers.get(command.id)?.worker.postMessage(command.message);
      break;
    case "stop": {
      const entry = workers.get(command.id);
      if (entry) Atomics.store(entry.stop, 0, 2);
      break;
    }
    case "terminate":
      void workers.get(command.id)?.worker.terminate();
      break;
    case "forget-snapshot":
      snapshots.delete(command.snapshot);
      break;
  }
});
process.on("disconnect", () => process.exit(0));
// The app decides when this process ends: when it closes the channel (above, its exit or a
// crash included) or kills it (host-client.ts close). A SIGTERM or SIGINT to the app's whole
// process group (Ctrl-C in a terminal, systemd's control-group stop) would otherwise end the
// test runs that the app's graceful stop lets finish, as "crashed".
process.on("SIGTERM", () => {});
process.on("SIGINT", () => {});

const priority = process.argv[2];
lowerEveryThread(priority === "idle" ? 19 : Number(priority));
if (priority === "idle") idleEveryThread();
send({ event: "ready" });
