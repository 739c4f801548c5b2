/**
 * Streaming benchmark: relay overhead of the production app at N concurrent runs.
 *
 *   npm run build && npm run bench:stream -- --runs 50
 *
 * Starts the MiniMax wire emulator in a worker thread of this process (its own event loop,
 * one clock with the viewers: see emulator-thread.ts), starts `next start` against it with
 * a fresh database, then:
 *   1. after a warm-up run, a direct baseline: N concurrent streaming reads of the emulator itself;
 *   2. N sessions, each with an SSE viewer connected before its run starts, N runs at once.
 * Relay overhead of a chunk = time a viewer holds all of its words − time the emulator
 * handed it to the socket (`onChunk`). Chunks and deltas are matched by character offset
 * within each model turn, so coalesced or split deltas are measured correctly. Besides the
 * p99 of all chunks it prints the p99 "once every run streams": of the chunks written after
 * the last run's first one, when no run is starting any more (runs that start together fill
 * the app's event loop for a few hundred ms, and the chunks of runs already streaming wait).
 * The app uses a throwaway PostgreSQL database (--db postgres, default: how a team
 * deployment runs) or the embedded PGlite (--db pglite).
 * Each round repeats step 2 with fresh sessions; the table shows the round with the median
 * relay p99 (the peer's numbers in PERFORMANCE.md are medians of 3 runs).
 * --instances 2: two apps on one PostgreSQL database and one Redis (REDIS_URL, default
 * redis://127.0.0.1:6379; README "Several instances"): runs start on A (--port), every
 * viewer follows its session on B (--port + 1), so each delta crosses Redis. With --spread,
 * every other run starts on B and is followed from A (each instance executes half the runs
 * and relays the other half's deltas, as issue 12's benchmark describes).
 * --sandbox-load N: during each round N loops ask the app for a person's test run back to
 * back (scripts/bench/sandbox-load.ts), so sandboxes compete with the relay for the cores.
 * Authenticated as a deployment is used (issue 8): the bench gets an account, makes an API token
 * and sends it on every API call; each viewer follows its session through a share link of
 * its own (`?share=`), as a link's audience does. A server without accounts (the local
 * instance) takes the API unauthenticated; the viewers still use share links.
 * Prints numbers; never asserts on them. Flags: --runs N (50) --rounds (3) --delay ms (15) --words (3) --db
 * --port (3300) --url --no-start --emulator-port --seconds (60) --no-warmup --cpu-prof --json PATH --trace PATH (every chunk as CSV),
 * --node-flags="…" (V8/Node flags for the app, e.g. to try GC settings).
 * --floor: instead of the app, a plain node:http relay with no database, no Next.js and no
 * accounts (scripts/bench/floor-relay.ts; through Redis with --instances 2) — what this
 * machine costs any relay, to set the app's added latency against.
 * With --no-start the app must already point at this emulator:
 *   MINIMAX_API_KEY=x MINIMAX_BASE_URL=http://127.0.0.1:4010 npx next start -p 3000
 *   npm run bench:stream -- --no-start --url http://127.0.0.1:3000 --emulator-port 4010
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { AGENT_SYSTEM_PROMPT } from "../../lib/agent/system-prompt";
import { TOOL_DEFINITIONS } from "../../lib/agent/tools";
import type { Metrics } from "../../lib/metrics";
import { type EmulatorThread, startEmulatorThread } from "./emulator-thread";
import { type CpuReading, coresBetween, readCpu, statCommand, statProcessGroup } from "./machine-cpu";
import { type SandboxLoadResult, startSandboxLoad } from "./sandbox-load";
import { addPiece, clock, type TurnTrace } from "./trace";

// ---------------------------------------------------------------------------- options

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "50" },
    rounds: { type: "string", default: "3" },
    delay: { type: "string", default: "15" },
    words: { type: "string", default: "3" },
    port: { type: "string", default: "3300" },
    url: { type: "string" },
    "no-start": { type: "boolean", default: false },
    db: { type: "string", default: "postgres" },
    instances: { type: "string", default: "1" },
    spread: { type: "boolean", default: false },
    "sandbox-load": { type: "string", default: "0" },
    "emulator-port": { type: "string" },
    seconds: { type: "string", default: "60" },
    "no-warmup": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    trace: { type: "string" },
    "node-flags": { type: "string" },
    floor: { type: "boolean", default: false },
    json: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (flags.help) {
  console.log(
    "npm run bench:stream -- [--runs 50] [--rounds 3] [--delay 15] [--words 3] [--db postgres|pglite] [--instances 1|2] [--spread] [--sandbox-load 0] [--port 3300] [--seconds 60]\n" +
      "                        [--no-start --url http://127.0.0.1:3000 --emulator-port 4010] [--no-warmup]\n" +
      '                        [--cpu-prof] [--node-flags="--max-semi-space-size=16"] [--json out.json] [--floor]',
  );
  process.exit(0);
}

function intFlag(name: string, raw: string | undefined, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be a whole number ≥ ${min} (got ${raw})`);
    process.exit(2);
  }
  return value;
}

const RUNS = intFlag("runs", flags.runs, 1);
/** test-run loops kept going in the app during each round (0: none) */
const SANDBOX_LOAD = intFlag("sandbox-load", flags["sandbox-load"], 0);
const ROUNDS = intFlag("rounds", flags.rounds, 1);
if (flags.db !== "postgres" && flags.db !== "pglite") {
  console.error(`--db must be postgres or pglite (got ${flags.db})`);
  process.exit(2);
}
/** postgres: a throwaway database on the local server (TEST_POSTGRES_URL), as a team deployment runs; pglite: the embedded default. */
const DB = flags.db;
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
let benchDatabase: string | null = null;
const DELAY_MS = intFlag("delay", flags.delay, 0);
const WORDS = intFlag("words", flags.words, 1);
const PORT = intFlag("port", flags.port, 1);
const SECONDS = intFlag("seconds", flags.seconds, 1);
const START_APP = !flags["no-start"];
/** a plain relay (floor-relay.ts) stands in for the app: the machine's floor */
const FLOOR = flags.floor;
if (FLOOR && !START_APP) {
  console.error("--floor starts its own relay: leave out --no-start");
  process.exit(2);
}
/** the app started here gets the emulator's URL; an app already running needs a known port */
const EMULATOR_PORT = intFlag("emulator-port", flags["emulator-port"] ?? (START_APP ? "0" : "4010"), 0);
const APP_URL = (flags.url ?? `http://127.0.0.1:${PORT}`).replace(/\/$/, "");
const INSTANCES = intFlag("instances", flags.instances, 1);
if (INSTANCES > 2 || (INSTANCES === 2 && (DB !== "postgres" || !START_APP))) {
  console.error("--instances is 1 or 2; 2 needs --db postgres and starts both apps itself (no --no-start)");
  process.exit(1);
}
/** where the viewers connect: the app itself, or with --instances 2 the second one */
const VIEWER_URL = INSTANCES === 2 ? `http://127.0.0.1:${PORT + 1}` : APP_URL;
const SPREAD = flags.spread && INSTANCES === 2;
/** Where run `i` starts and where its viewer follows it (--spread: every other run the other way round). */
const sides = (i: number) =>
  SPREAD && i % 2 === 1 ? { runs: VIEWER_URL, viewer: APP_URL } : { runs: APP_URL, viewer: VIEWER_URL };
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const ROOT = resolve(import.meta.dirname, "../..");
/** unique per benchmark process, so an app reused with --no-start never mixes up sessions */
const TAG = Math.random().toString(36).slice(2, 8);

// ---------------------------------------------------------------------------- cleanup

let apps: ChildProcess[] = [];
let emulator: EmulatorThread | null = null;
let tempDir: string | null = null;
/** --trace: every matched chunk of every round, as CSV rows (viewer, turn, chunk, written at ms after the runs began, relay ms) */
const traceRows: string[] = [];
const viewerAborts = new Set<AbortController>();

async function stopApp(): Promise<void> {
  const children = apps;
  apps = [];
  await Promise.all(children.map(stopChild));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  try {
    process.kill(-child.pid, "SIGTERM"); // the whole group: npx and the next-server it spawned
  } catch {
    child.kill("SIGTERM");
  }
  const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
  if (timedOut) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

async function createBenchDatabase(): Promise<string> {
  benchDatabase = `interleave_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${benchDatabase}"`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${benchDatabase}`;
  return url.toString();
}

async function dropBenchDatabase(): Promise<void> {
  if (!benchDatabase) return;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${benchDatabase}" WITH (FORCE)`);
  await admin.end();
  benchDatabase = null;
}

async function cleanup(): Promise<void> {
  for (const controller of viewerAborts) controller.abort();
  await stopApp();
  await dropBenchDatabase().catch((error: unknown) => console.error(`could not drop ${benchDatabase}:`, error));
  await emulator?.close().catch(() => {});
  emulator = null;
  if (tempDir && !flags["cpu-prof"]) rmSync(tempDir, { recursive: true, force: true });
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping the app and the emulator…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------- stats

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length ? mean : Number.NaN,
  };
}

const ms = (value: number, digits = 1) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : "—");
/** "app 0.92 · PostgreSQL 0.21 · … · other 0.03 = 1.88 of 2 cores busy": the groups, biggest first. */
function formatCores(cores: Record<string, number>): string {
  const { machine = 0, other = 0, ...groups } = cores;
  const parts = Object.entries(groups)
    .sort((a, b) => b[1] - a[1])
    .map(([group, used]) => `${group} ${used.toFixed(2)}`);
  return `${[...parts, `other ${other.toFixed(2)}`].join(" · ")} = ${machine.toFixed(2)} of ${availableParallelism()} busy`;
}

/** "+4.2 ms" / "−12 ms": a difference from the direct read. */
const signedMs = (value: number, digits = 1) => (value < 0 ? `−${ms(-value, digits)}` : `+${ms(value, digits)}`);
const secs = (value: number) => (Number.isFinite(value) ? `${(value / 1000).toFixed(2)} s` : "—");

// ---------------------------------------------------------------------------- matching

interface MatchResult {
  relays: number[];
  /** when each measured chunk was written (same order as relays) */
  writtenAt: number[];
  /** upstream chunks of the turn whose words the viewer never got (or got different ones) */
  unmatched: number;
  mismatch: boolean;
}

/**
 * For each upstream chunk, the arrival time of the downstream piece carrying its last
 * character (when the reader holds the whole chunk) minus the time it was written.
 */
function matchTurn(upstream: TurnTrace, downstream: TurnTrace): MatchResult {
  let common = 0;
  const limit = Math.min(upstream.text.length, downstream.text.length);
  while (common < limit && upstream.text.charCodeAt(common) === downstream.text.charCodeAt(common)) common++;
  const relays: number[] = [];
  const writtenAt: number[] = [];
  let unmatched = 0;
  let j = 0;
  for (const chunk of upstream.pieces) {
    if (chunk.end > common) {
      unmatched++;
      continue;
    }
    const last = chunk.end - 1;
    while (j < downstream.pieces.length && (downstream.pieces[j]?.end ?? 0) <= last) j++;
    const piece = downstream.pieces[j];
    if (!piece) {
      unmatched++;
      continue;
    }
    relays.push(piece.at - chunk.at);
    writtenAt.push(chunk.at);
  }
  return { relays, writtenAt, unmatched, mismatch: common < upstream.text.length || common < downstream.text.length };
}

// ---------------------------------------------------------------------------- SSE reading

/**
 * Streams a server-sent event response with node:http and hands over each event's data with
 * the time its bytes arrived. node:http rather than fetch: the harness's own cost per event
 * lands in every number it measures, and a Node stream costs less per chunk than a web one.
 */
function streamSse(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  onMessage: (data: string, at: number) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: init.method ?? "GET", headers: init.headers, signal }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`${url}: HTTP ${response.statusCode}`));
        return;
      }
      response.setEncoding("utf8");
      let buffer = "";
      response.on("data", (text: string) => {
        const at = clock();
        buffer += text;
        let boundary = buffer.indexOf("\n\n");
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("data:")) data += (data ? "\n" : "") + line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
          }
          if (data) onMessage(data, at);
          boundary = buffer.indexOf("\n\n");
        }
      });
      response.on("end", () => resolve());
      response.on("error", (error) => (signal.aborted ? resolve() : reject(error)));
    });
    request.on("error", (error) => (signal.aborted ? resolve() : reject(error)));
    request.end(init.body);
  });
}

// ---------------------------------------------------------------------------- direct baseline

const DIRECT_TOOLS = TOOL_DEFINITIONS.map((tool) => ({
  name: tool.name,
  description: tool.description,
  input_schema: tool.inputSchema,
}));

function directBody(task: string) {
  return {
    model: "MiniMax-M2",
    max_tokens: 16_384,
    temperature: 1,
    top_p: 0.95,
    system: AGENT_SYSTEM_PROMPT,
    messages: [{ role: "user", content: [{ type: "text", text: task }] }],
    tools: DIRECT_TOOLS,
    stream: true,
  };
}

function deltaText(event: { type?: string; delta?: Record<string, unknown> }): string {
  if (event.type !== "content_block_delta" || !event.delta) return "";
  const text = event.delta.thinking ?? event.delta.text ?? event.delta.partial_json;
  return typeof text === "string" ? text : "";
}

async function directBaseline(emulatorThread: EmulatorThread, n: number) {
  const url = emulatorThread.url;
  const traces: TurnTrace[] = [];
  /** ms from each reader's request to its first content block */
  const toFirstBlock: number[] = [];
  const keys: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const key = `${TAG}:d${i}`;
      keys.push(key);
      const trace: TurnTrace = { text: "", pieces: [] };
      traces[i] = trace;
      const sentAt = clock();
      await streamSse(
        `${url}/anthropic/v1/messages`,
        {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": "bench", "anthropic-version": "2023-06-01" },
          body: JSON.stringify(directBody(`Implement an LRU cache. [emulator:scenario=long] [bench:${key}]`)),
        },
        (data, at) => {
          const event = JSON.parse(data);
          // the first content block is what the app shows as a run's first step
          if (event.type === "content_block_start" && toFirstBlock[i] === undefined) toFirstBlock[i] = at - sentAt;
          addPiece(trace, deltaText(event), at);
        },
        new AbortController().signal,
      );
    }),
  );
  const upstreamByKey = await emulatorThread.traces();
  const relays: number[] = [];
  let unmatched = 0;
  keys.forEach((key, i) => {
    const upstream = upstreamByKey.get(key)?.[0];
    const downstream = traces[i];
    if (!upstream || !downstream) return;
    const result = matchTurn(upstream, downstream);
    relays.push(...result.relays);
    unmatched += result.unmatched;
  });
  return {
    relay: summarize(relays),
    firstBlock: summarize(toFirstBlock.filter((value) => value !== undefined)),
    unmatched,
    wallMs: performance.now() - started,
  };
}

// ---------------------------------------------------------------------------- app

async function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(true));
    server.listen(port, "127.0.0.1", () => server.close(() => done(false)));
  });
}

/** The API token every API call sends (`authenticate`); null against a server without accounts. */
let apiToken: string | null = null;
/** How the API calls were authenticated, for the table. */
let authMode = "none";

/** A JSON call to the app, through node:http like the viewers (fetch costs the harness more per call). */
function api<T>(path: string, init: { method?: string; body?: string } = {}, base = APP_URL): Promise<T> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiToken) headers.authorization = `Bearer ${apiToken}`;
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { method, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) reject(new Error(`${method} ${path}: HTTP ${status} ${text.slice(0, 300)}`));
        else resolve(JSON.parse(text) as T);
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

/**
 * Gets an account as a first visit does (a guest, /api/auth/guest) and makes an API token
 * with its cookie; the token then authenticates every API call. A server without accounts
 * answers 404: the API stays unauthenticated (the local instance's owner).
 */
async function authenticate(): Promise<void> {
  const guest = await fetch(`${APP_URL}/api/auth/guest?next=/api/health`, { redirect: "manual" });
  if (guest.status === 404) {
    authMode = "none (a server without accounts); viewers through share links";
    return;
  }
  if (guest.status >= 400) throw new Error(`guest account: HTTP ${guest.status} ${(await guest.text()).slice(0, 300)}`);
  const cookie = guest.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const made = await fetch(`${APP_URL}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ name: `bench ${TAG}` }),
  });
  if (!made.ok) throw new Error(`API token: HTTP ${made.status} ${(await made.text()).slice(0, 300)}`);
  apiToken = ((await made.json()) as { token: string }).token;
  authMode = "API token (Bearer) for the API; a share link per viewer";
}

/** A share link to the session (the viewer's way in): its token. */
async function shareLink(sessionId: string): Promise<string> {
  const { token } = await api<{ token: string }>(`/api/sessions/${sessionId}/shares`, {
    method: "POST",
    body: JSON.stringify({ scope: "tree" }),
  });
  return token;
}

async function startApp(emulatorUrl: string): Promise<{ logPath: string; profileDir: string | null }> {
  const ports = INSTANCES === 2 ? [PORT, PORT + 1] : [PORT];
  for (const port of ports) {
    if (!(await portInUse(port))) continue;
    console.error(`Port ${port} is already in use: pick another with --port, or use --no-start --url.`);
    await cleanup();
    process.exit(1);
  }
  tempDir = mkdtempSync(join(tmpdir(), "interleave-bench-"));
  const logPath = join(tempDir, "app.log");
  const profileDir = flags["cpu-prof"] ? join(tempDir, "profiles") : null;
  const log = createWriteStream(logPath);
  // The app runs on this harness's Node.js (its version is in the table); --cpu-prof (and some
  // V8 flags) are not allowed in NODE_OPTIONS, so next's bin is run with node directly.
  const nodeFlags = [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    ...(flags["node-flags"]?.split(/\s+/).filter(Boolean) ?? []),
  ];
  const [command, args] = FLOOR
    ? [
        process.execPath,
        [
          ...nodeFlags,
          "--import",
          "tsx",
          join(ROOT, "scripts/bench/floor-relay.ts"),
          "--emulator",
          emulatorUrl,
          "--port",
        ],
      ]
    : [
        process.execPath,
        [...nodeFlags, join(ROOT, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p"],
      ];
  const databaseUrl = DB === "postgres" && !FLOOR ? await createBenchDatabase() : "";
  // one after the other: the first applies the migrations
  for (const port of ports) await startInstance(port, command, args, databaseUrl, emulatorUrl, log, logPath);
  return { logPath, profileDir };
}

async function startInstance(
  port: number,
  command: string,
  args: string[],
  databaseUrl: string,
  emulatorUrl: string,
  log: NodeJS.WritableStream,
  logPath: string,
): Promise<void> {
  const child = spawn(command, [...args, String(port)], {
    cwd: ROOT,
    detached: true, // own process group, so stopApp() ends npx and next-server together
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: join(tempDir ?? tmpdir(), "data"),
      DATABASE_URL: databaseUrl,
      REDIS_URL: INSTANCES === 2 ? REDIS_URL : "",
      MINIMAX_API_KEY: "bench",
      MINIMAX_BASE_URL: emulatorUrl,
      MINIMAX_API: "anthropic",
      MINIMAX_MODEL: "MiniMax-M2",
      NEXT_TELEMETRY_DISABLED: "1",
      // one account starts every run of every round: a person's limit would refuse most
      RUN_STARTS_PER_MINUTE: "10000",
    },
  });
  apps.push(child);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}; see ${logPath}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app did not become healthy within 60 s; see ${logPath}`);
    await sleep(200);
  }
}

/** CPU seconds (user + system) of every process in the apps' groups, from /proc. */
/**
 * Whose process a /proc stat line is, for the CPU table: each app (the processes of its
 * process group but its sandbox host, which counts as "sandbox host"), PostgreSQL (every backend on the
 * machine, not only the benchmark database's), Redis, and this harness (viewers, direct
 * readers and the emulator's thread).
 */
function classifyProcess(line: string, pid: number): string | null {
  if (pid === process.pid) return "harness";
  const group = statProcessGroup(line);
  const app = apps.findIndex((child) => child.pid === group);
  if (app >= 0) return isSandboxHost(pid) ? "sandbox host" : apps.length > 1 ? `app ${"AB"[app]}` : "app";
  const command = statCommand(line);
  if (command === "postgres") return "PostgreSQL";
  if (command.startsWith("redis-server")) return "Redis";
  return null;
}

/** Whether a process runs lib/sandbox/worker/host.mjs (next's own processes are the app). */
function isSandboxHost(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("sandbox/worker/host.mjs");
  } catch {
    return false;
  }
}

/** The apps' CPU seconds in a reading, their sandbox host included (null: no /proc, or no app started here). */
function appCpuSeconds(reading: CpuReading | null): number | null {
  if (!reading || apps.length === 0) return null;
  let total = 0;
  for (const [group, seconds] of reading.groups)
    if (group.startsWith("app") || group === "sandbox host") total += seconds;
  return total;
}

// ---------------------------------------------------------------------------- viewers

interface Viewer {
  key: string;
  sessionId: string;
  runId: string | null;
  connected: Promise<void>;
  done: Promise<void>;
  controller: AbortController;
  postAt: number;
  firstStepAt: number | null;
  firstDeltaAt: number | null;
  /** model steps of this session's runs, by step id */
  steps: Map<string, { turn: number; base: number; length: number }>;
  /** downstream text per model turn number */
  turns: Map<number, TurnTrace>;
  runStatus: string | null;
  runError: string | null;
  finishedAt: number | null;
  deltas: number;
  offsetGaps: number;
  error: string | null;
}

interface StepLike {
  id: string;
  kind: string;
  turn: number | null;
  origin?: string;
  content?: string;
}

const MODEL_KINDS = new Set(["thinking", "text", "tool_call"]);
const TERMINAL = new Set(["done", "failed", "cancelled"]);

function openViewer(key: string, sessionId: string, share: string, viewerUrl: string): Viewer {
  const controller = new AbortController();
  viewerAborts.add(controller);
  let markConnected: () => void = () => {};
  const viewer: Viewer = {
    key,
    sessionId,
    runId: null,
    connected: new Promise<void>((done) => {
      markConnected = done;
    }),
    done: Promise.resolve(),
    controller,
    postAt: Number.NaN,
    firstStepAt: null,
    firstDeltaAt: null,
    steps: new Map(),
    turns: new Map(),
    runStatus: null,
    runError: null,
    finishedAt: null,
    deltas: 0,
    offsetGaps: 0,
    error: null,
  };

  const onMessage = (data: string, at: number) => {
    const message = JSON.parse(data) as {
      type: string;
      step?: StepLike;
      stepId?: string;
      offset?: number;
      text?: string;
      run?: { id: string; status: string; errorCode?: string | null; errorMessage?: string | null };
    };
    switch (message.type) {
      case "snapshot":
        markConnected();
        return;
      case "step.created": {
        const step = message.step;
        if (!step) return;
        if (viewer.firstStepAt === null && at >= viewer.postAt) viewer.firstStepAt = at;
        if (!MODEL_KINDS.has(step.kind) || step.turn === null || step.origin === "user") return;
        const turn = viewer.turns.get(step.turn) ?? { text: "", pieces: [] };
        viewer.turns.set(step.turn, turn);
        const initial = step.content ?? "";
        viewer.steps.set(step.id, { turn: step.turn, base: turn.text.length, length: initial.length });
        addPiece(turn, initial, at);
        return;
      }
      case "step.delta": {
        const step = viewer.steps.get(message.stepId ?? "");
        if (!step || typeof message.text !== "string") return;
        viewer.deltas++;
        if (viewer.firstDeltaAt === null) viewer.firstDeltaAt = at;
        const turn = viewer.turns.get(step.turn);
        if (!turn) return;
        if (message.offset !== step.length || turn.text.length !== step.base + step.length) {
          viewer.offsetGaps++; // a replayed or out-of-order delta: keep the trace consistent
          if ((message.offset ?? 0) + message.text.length <= step.length) return;
        }
        addPiece(turn, message.text, at);
        step.length += message.text.length;
        return;
      }
      case "run.updated": {
        const run = message.run;
        if (!run || (viewer.runId !== null && run.id !== viewer.runId)) return;
        if (TERMINAL.has(run.status)) {
          viewer.runStatus = run.status;
          viewer.runError = run.errorCode ? `${run.errorCode}: ${run.errorMessage ?? ""}` : null;
          viewer.finishedAt ??= at;
        }
        return;
      }
    }
  };

  viewer.done = (async () => {
    try {
      await streamSse(
        `${viewerUrl}/api/sessions/${sessionId}/events?share=${share}`,
        { headers: { accept: "text/event-stream" } },
        onMessage,
        controller.signal,
      );
    } catch (error) {
      if (!controller.signal.aborted) viewer.error = error instanceof Error ? error.message : String(error);
    } finally {
      markConnected();
    }
  })();
  return viewer;
}

/** One throwaway run so route modules, the database and the provider are loaded before measuring; `side` as in `sides`. */
async function warmUp(side = 0): Promise<void> {
  const { session } = await api<{ session: { id: string } }>("/api/sessions", {
    method: "POST",
    body: JSON.stringify({
      task: `Warm-up: sum an array. [emulator:scenario=sum] [bench:${TAG}:w${side}]`,
      modelId: "MiniMax-M2",
    }),
  });
  const viewer = openViewer(`${TAG}:w${side}`, session.id, await shareLink(session.id), sides(side).viewer);
  await viewer.connected;
  viewer.postAt = clock();
  const { run } = await api<{ run: { id: string } }>(
    `/api/sessions/${session.id}/runs`,
    { method: "POST", body: "{}" },
    sides(side).runs,
  );
  viewer.runId = run.id;
  const deadline = performance.now() + 30_000;
  while (viewer.runStatus === null && performance.now() < deadline) await sleep(50);
  viewer.controller.abort();
  viewerAborts.delete(viewer.controller);
  await viewer.done;
}

/** One round: N fresh sessions with their viewers, N runs at once, matched chunk by chunk. */
async function measureRound(emulatorThread: EmulatorThread, round: number) {
  // 2. app: sessions and viewers
  const before = await api<Metrics>("/api/metrics");
  const setupStart = performance.now();
  const viewers: Viewer[] = await Promise.all(
    Array.from({ length: RUNS }, async (_, i) => {
      const key = `${TAG}:r${round}s${i}`;
      const { session } = await api<{ session: { id: string } }>("/api/sessions", {
        method: "POST",
        body: JSON.stringify({
          task: `Implement an LRU cache in TypeScript. [emulator:scenario=long] [bench:${key}]`,
          modelId: "MiniMax-M2",
        }),
      });
      return openViewer(key, session.id, await shareLink(session.id), sides(i).viewer);
    }),
  );
  await Promise.all(viewers.map((v) => v.connected));
  const notConnected = viewers.filter((v) => v.error);
  console.log(
    `${viewers.length} sessions created and viewers connected in ${secs(performance.now() - setupStart)}` +
      (notConnected.length ? ` (${notConnected.length} viewers failed: ${notConnected[0]?.error})` : ""),
  );

  // The histogram holds whole sampling intervals; what the viewers wait is the part past it.
  const LOOP_SAMPLE_MS = 2;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  const sandboxLoad = SANDBOX_LOAD
    ? await startSandboxLoad(APP_URL, SANDBOX_LOAD, apiToken ? { authorization: `Bearer ${apiToken}` } : {})
    : null;
  loopDelay.enable();
  const cpuBefore = readCpu(classifyProcess);
  const runsStart = clock();
  const startFailures: string[] = [];
  await Promise.all(
    viewers.map(async (viewer, i) => {
      viewer.postAt = clock();
      try {
        const { run } = await api<{ run: { id: string } }>(
          `/api/sessions/${viewer.sessionId}/runs`,
          { method: "POST", body: "{}" },
          sides(i).runs,
        );
        viewer.runId = run.id;
      } catch (error) {
        viewer.runStatus = "failed";
        viewer.runError = `start: ${error instanceof Error ? error.message : String(error)}`;
        startFailures.push(viewer.runError);
      }
    }),
  );
  const deadline = runsStart + SECONDS * 1000;
  let lastReport = clock();
  while (clock() < deadline && viewers.some((v) => v.runStatus === null && !v.error)) {
    await sleep(100);
    if (clock() - lastReport > 10_000) {
      lastReport = clock();
      const finished = viewers.filter((v) => v.runStatus !== null).length;
      console.log(`  … ${finished}/${RUNS} runs finished after ${secs(lastReport - runsStart)}`);
    }
  }
  const runsWall = clock() - runsStart;
  const cpuAfter = readCpu(classifyProcess);
  loopDelay.disable();
  const sandbox: SandboxLoadResult | null = sandboxLoad ? await sandboxLoad.stop() : null;
  const after = await api<Metrics>("/api/metrics");
  for (const viewer of viewers) viewer.controller.abort();
  await Promise.all(viewers.map((v) => v.done));

  // 3. match upstream chunks to viewer deltas, turn by turn
  const upstreamByKey = await emulatorThread.traces();
  const relays: number[] = [];
  const byTurn: number[][] = [];
  const bySecond: number[][] = [];
  let unmatched = 0;
  let mismatchedTurns = 0;
  let turnCount = 0;
  let offsetGaps = 0;
  const toFirstStep: number[] = [];
  const toFirstDelta: number[] = [];
  /** every matched chunk: when the emulator wrote it, and its relay (ms) */
  const timed: [number, number][] = [];
  /** when each viewer's first matched chunk was written */
  const firstChunkAt = new Map<number, number>();
  for (const [viewerIndex, viewer] of viewers.entries()) {
    offsetGaps += viewer.offsetGaps;
    if (viewer.firstStepAt !== null) toFirstStep.push(viewer.firstStepAt - viewer.postAt);
    if (viewer.firstDeltaAt !== null) toFirstDelta.push(viewer.firstDeltaAt - viewer.postAt);
    const upstream = upstreamByKey.get(viewer.key) ?? [];
    const downstream = [...viewer.turns.entries()].sort((a, b) => a[0] - b[0]).map(([, trace]) => trace);
    upstream.forEach((turn, i) => {
      const seen = downstream[i] ?? { text: "", pieces: [] };
      const result = matchTurn(turn, seen);
      turnCount++;
      relays.push(...result.relays);
      byTurn[i] ??= [];
      byTurn[i]?.push(...result.relays);
      result.relays.forEach((value, k) => {
        timed.push([result.writtenAt[k] ?? runsStart, value]);
        firstChunkAt.set(
          viewerIndex,
          Math.min(firstChunkAt.get(viewerIndex) ?? Infinity, result.writtenAt[k] ?? runsStart),
        );
        traceRows.push(
          `${viewerIndex},${i},${k},${((result.writtenAt[k] ?? runsStart) - runsStart).toFixed(3)},${value.toFixed(3)}`,
        );
        const second = Math.max(0, Math.floor(((result.writtenAt[k] ?? runsStart) - runsStart) / 1000));
        bySecond[second] ??= [];
        bySecond[second]?.push(value);
      });
      unmatched += result.unmatched;
      // a turn cut off by --seconds is a prefix, not a mismatch
      if (result.mismatch && !turn.text.startsWith(seen.text) && !seen.text.startsWith(turn.text)) mismatchedTurns++;
    });
  }

  const relay = summarize(relays);
  // once every run streams: the chunks written after the last run's first one (no run is starting)
  const allStreaming = Math.max(...firstChunkAt.values());
  const steady = summarize(timed.filter(([at]) => at > allStreaming).map(([, value]) => value));
  const turnSummaries = Array.from(byTurn, (values) => summarize(values ?? []));
  const secondSummaries = Array.from(bySecond, (values) => summarize(values ?? []));
  const firstStep = summarize(toFirstStep);
  const firstDelta = summarize(toFirstDelta);
  const stepsCreated = after.stepsCreated - before.stepsCreated;
  const stepRowWrites = after.stepRowWrites - before.stepRowWrites;
  const stepStatements = after.stepStatements - before.stepStatements;
  const done = viewers.filter((v) => v.runStatus === "done").length;
  const failed = viewers.filter((v) => v.runStatus === "failed" || v.runStatus === "cancelled").length;
  const unfinished = viewers.length - done - failed;
  const appBefore = appCpuSeconds(cpuBefore);
  const appAfter = appCpuSeconds(cpuAfter);
  const cpu = appBefore !== null && appAfter !== null ? appAfter - appBefore : null;
  const cores = cpuBefore && cpuAfter ? Object.fromEntries(coresBetween(cpuBefore, cpuAfter, runsWall / 1000)) : null;
  const errors = [...new Set(viewers.map((v) => v.runError ?? v.error).filter(Boolean))].slice(0, 3);
  return {
    relay,
    steady,
    turnSummaries,
    secondSummaries,
    firstStep,
    firstDelta,
    stepsCreated,
    stepRowWrites,
    stepStatements,
    done,
    failed,
    unfinished,
    runsWall,
    cpu,
    cores,
    loopDelayP99: loopDelay.percentile(99) / 1e6 - LOOP_SAMPLE_MS,
    loopDelayMax: loopDelay.max / 1e6 - LOOP_SAMPLE_MS,
    turnCount,
    unmatched,
    mismatchedTurns,
    offsetGaps,
    errors,
    startFailures: startFailures.length,
    sandbox,
  };
}

// ---------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const wallStart = performance.now();
  if (START_APP && !FLOOR && !existsSync(join(ROOT, ".next", "BUILD_ID"))) {
    console.error("No production build: .next/BUILD_ID is missing. Run `npm run build` first, then run this again.");
    process.exitCode = 1;
    return;
  }
  const buildIdPath = join(ROOT, ".next", "BUILD_ID");
  const buildId = START_APP && !FLOOR ? readFileSync(buildIdPath, "utf8") : null;
  emulator = await startEmulatorThread({ port: EMULATOR_PORT, chunkDelayMs: DELAY_MS, wordsPerChunk: WORDS });
  const emulatorPort = Number(new URL(emulator.url).port);
  if (START_APP && emulatorPort === PORT) throw new Error("emulator took the app's port; try again");

  console.log(
    `stream bench: ${RUNS} runs, emulator ${emulator.url} (${WORDS} words / ${DELAY_MS} ms), app ${APP_URL}${FLOOR ? " (the floor: a plain relay, no app)" : START_APP ? " (starting next start)" : " (already running)"}`,
  );
  let logPath: string | null = null;
  let profileDir: string | null = null;
  if (START_APP) {
    const started = performance.now();
    ({ logPath, profileDir } = await startApp(emulator.url));
    console.log(`app healthy after ${secs(performance.now() - started)}`);
  } else {
    await api("/api/health");
  }

  await authenticate();
  console.log(`authentication: ${authMode}`);

  // warm-up (excluded): the app's modules and the emulator thread's code are hot before measuring
  if (!flags["no-warmup"]) {
    const started = performance.now();
    await warmUp(0);
    if (SPREAD) await warmUp(1);
    console.log(`warm-up run finished in ${secs(performance.now() - started)}`);
  }

  // 1. direct baseline
  const direct = await directBaseline(emulator, RUNS);
  console.log(`direct baseline: ${direct.relay.count} chunks in ${secs(direct.wallMs)}`);

  const results = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const result = await measureRound(emulator, round);
    results.push(result);
    console.log(
      `round ${round}/${ROUNDS}: relay p50 ${ms(result.relay.p50)}, p99 ${ms(result.relay.p99)}; ` +
        `first step p50 ${ms(result.firstStep.p50, 0)}; ${result.done}/${RUNS} runs done`,
    );
  }
  // The table shows the round with the median p99, as the peer's numbers are medians of runs.
  const byP99 = [...results].sort((x, y) => x.relay.p99 - y.relay.p99);
  const median = byP99[Math.floor((byP99.length - 1) / 2)] ?? results[0];
  if (!median) throw new Error("no round was measured");
  const startFailures = results.reduce((sum, r) => sum + r.startFailures, 0);

  const rows: [string, string][] = [
    ["runs (concurrent)", String(RUNS)],
    [
      "database",
      FLOOR
        ? "none: the floor relay (scripts/bench/floor-relay.ts) stands in for the app"
        : flags["no-start"]
          ? "(the running app's)"
          : DB === "postgres"
            ? "PostgreSQL"
            : "embedded PGlite",
    ],
    [
      "instances",
      INSTANCES === 2
        ? SPREAD
          ? `2: runs on both, each followed from the other, through Redis ${REDIS_URL}`
          : `2: runs on ${APP_URL}, viewers on ${VIEWER_URL}, through Redis ${REDIS_URL}`
        : "1",
    ],
    ["Node.js (harness and app)", process.version],
    ["emulator pace", `${WORDS} words / ${DELAY_MS} ms`],
    ["authentication", authMode],
    [
      "sandbox load",
      median.sandbox
        ? `${SANDBOX_LOAD} at a time: ${median.sandbox.runs} test runs (${median.sandbox.runsPerSecond.toFixed(1)}/s)` +
          (median.sandbox.failures ? `, ${median.sandbox.failures} failed: ${median.sandbox.firstFailure}` : "")
        : "none",
    ],
    ["direct chunks measured", String(direct.relay.count)],
    ["direct p50 / p99 / max", `${ms(direct.relay.p50, 2)} / ${ms(direct.relay.p99, 2)} / ${ms(direct.relay.max, 2)}`],
    [
      "app deltas measured",
      `${median.relay.count} (${median.turnCount} turns${median.unmatched ? `, ${median.unmatched} chunks unmatched` : ""})`,
    ],
    ["app relay p50 / p90", `${ms(median.relay.p50)} / ${ms(median.relay.p90)}`],
    ["app relay p99 / max", `${ms(median.relay.p99)} / ${ms(median.relay.max)}`],
    ["  p99 of each round", `${results.map((r) => r.relay.p99.toFixed(1)).join(" / ")} ms (median shown)`],
    [
      "  p99 once every run streams",
      `${ms(median.steady.p99)} over ${((100 * median.steady.count) / Math.max(1, median.relay.count)).toFixed(0)} % of the chunks (none written while runs still start)`,
    ],
    ["  p99 by model turn", `${median.turnSummaries.map((t, i) => `#${i + 1} ${t.p99.toFixed(0)}`).join("  ")} ms`],
    [
      "  p99 by second of the run",
      `${median.secondSummaries.map((t) => (t.count ? t.p99.toFixed(0) : "-")).join(" ")} ms`,
    ],
    ["time to first step p50 / p99", `${ms(median.firstStep.p50, 0)} / ${ms(median.firstStep.p99, 0)}`],
    [
      "  direct: to first block p50 / p99",
      `${ms(direct.firstBlock.p50, 0)} / ${ms(direct.firstBlock.p99, 0)} (the same N requests, read directly)`,
    ],
    [
      "added over direct",
      `relay p99 ${signedMs(median.relay.p99 - direct.relay.p99)}, first step p50 ${signedMs(median.firstStep.p50 - direct.firstBlock.p50, 0)}`,
    ],
    ["time to first delta p50 / p99", `${ms(median.firstDelta.p50, 0)} / ${ms(median.firstDelta.p99, 0)}`],
    [
      "DB row writes per step",
      median.stepsCreated
        ? `${(median.stepRowWrites / median.stepsCreated).toFixed(2)} (${median.stepRowWrites} rows / ${median.stepsCreated} steps)`
        : "—",
    ],
    [
      "  in statements",
      median.stepsCreated
        ? `${median.stepStatements} (${(median.stepStatements / median.stepsCreated).toFixed(2)} per step)`
        : "—",
    ],
    ["runs done / failed / unfinished", `${median.done} / ${median.failed} / ${median.unfinished}`],
    ["runs phase wall time", secs(median.runsWall)],
    [
      "app CPU during runs",
      median.cpu === null
        ? "—"
        : `${median.cpu.toFixed(1)} s (${((median.cpu / (median.runsWall / 1000)) * 100).toFixed(0)} % of one core)`,
    ],
    ["machine CPU during runs (cores)", median.cores ? formatCores(median.cores) : "—"],
    ["viewers' loop delay p99 / max", `${ms(median.loopDelayP99)} / ${ms(median.loopDelayMax)}`],
    ["machine load (1 min avg, cores)", `${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`],
    ["total wall time", secs(performance.now() - wallStart)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log("");
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  if (median.mismatchedTurns)
    console.log(`  note: ${median.mismatchedTurns} turns where the viewer's text differs from upstream`);
  if (median.offsetGaps) console.log(`  note: ${median.offsetGaps} deltas arrived with an unexpected offset`);
  if (median.errors.length) console.log(`  errors: ${median.errors.join(" | ")}`);
  if (startFailures) console.log(`  ${startFailures} runs failed to start`);
  const buildNow = existsSync(buildIdPath) ? readFileSync(buildIdPath, "utf8") : null;
  const buildChanged = buildId !== null && buildNow !== buildId;
  if (buildChanged) console.log("  warning: .next was rebuilt while the benchmark ran; these numbers may be off");

  const result = {
    at: new Date().toISOString(),
    options: {
      runs: RUNS,
      rounds: ROUNDS,
      delayMs: DELAY_MS,
      wordsPerChunk: WORDS,
      seconds: SECONDS,
      startedApp: START_APP,
      instances: INSTANCES,
      sandboxLoad: SANDBOX_LOAD,
    },
    sandbox: median.sandbox,
    direct: direct.relay,
    directFirstBlock: direct.firstBlock,
    relay: median.relay,
    relayByTurn: median.turnSummaries,
    relayBySecond: median.secondSummaries,
    relayOnceAllStream: median.steady,
    loadAverage: loadavg(),
    timeToFirstStep: median.firstStep,
    timeToFirstDelta: median.firstDelta,
    rowWritesPerStep: median.stepsCreated ? median.stepRowWrites / median.stepsCreated : null,
    stepRowWrites: median.stepRowWrites,
    stepStatements: median.stepStatements,
    stepsCreated: median.stepsCreated,
    runs: { done: median.done, failed: median.failed, unfinished: median.unfinished },
    unmatchedChunks: median.unmatched,
    mismatchedTurns: median.mismatchedTurns,
    runsWallMs: median.runsWall,
    appCpuSeconds: median.cpu,
    machineCores: median.cores,
    benchLoopDelayP99Ms: median.loopDelayP99,
    rounds: results.map((r) => ({ relay: r.relay, timeToFirstStep: r.firstStep, appCpuSeconds: r.cpu })),
    errors: median.errors,
    buildChanged,
  };
  const jsonPath = flags.json
    ? resolve(flags.json)
    : join(ROOT, "bench-results", `stream-${RUNS}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  mkdirSync(resolve(jsonPath, ".."), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n  results: ${jsonPath}`);
  if (flags.trace) {
    writeFileSync(resolve(flags.trace), `viewer,turn,chunk,writtenMs,relayMs\n${traceRows.join("\n")}\n`);
    console.log(`  every chunk: ${resolve(flags.trace)}`);
  }

  if (START_APP) {
    await stopApp();
    if (profileDir) console.log(`  CPU profiles of the app: ${profileDir}`);
    if (logPath && flags["cpu-prof"]) console.log(`  app log: ${logPath}`);
  }
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    process.exit(process.exitCode ?? 0);
  });
