/**
 * Large-session benchmark (issue 13 item 10): how fast a long session opens.
 *
 *   npm run build && npm run bench:large
 *
 * Starts the production app on a throwaway PostgreSQL database (TEST_POSTGRES_URL's
 * server), creates two sessions through the API and fills their step trees straight into
 * the database (what hundreds of agent turns would leave behind, without running them):
 *   - "branched": 1,882 steps — a long main branch and forks off it at several depths;
 *   - "long": one 5,000-step branch, for scrolling.
 * Then it reports, for the branched session: the page's server time (median of 5, time to
 * the whole HTML document) and size, the SSE snapshot's size, and in Chromium
 * (/usr/bin/chromium or CHROMIUM_PATH, headless) the time from navigation to the "Live"
 * badge and the DOM node count then; for the long session, frame times while the
 * timeline is scrolled from top to bottom. Prints numbers; never asserts on them.
 * Flags: --port (3400) --steps (1882) --long (5000) --json PATH, --shots DIR (screenshots of
 * both sessions, light and dark, scrolled to the end and to the middle of the long one).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { type Browser, chromium } from "playwright-core";

const { values: flags } = parseArgs({
  options: {
    port: { type: "string", default: "3400" },
    steps: { type: "string", default: "1882" },
    long: { type: "string", default: "5000" },
    json: { type: "string" },
    shots: { type: "string" },
  },
});

const ROOT = resolve(import.meta.dirname, "../..");
const PORT = Number(flags.port);
const APP = `http://127.0.0.1:${PORT}`;
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// ---------------------------------------------------------------------------- the step trees

/** A step row as the bench inserts it (the Step table's columns). */
interface Row {
  id: string;
  sessionId: string;
  parentId: string;
  kind: string;
  origin: string;
  status: string;
  content: string;
  turn: number | null;
  providerData: Record<string, unknown> | null;
  editedFromId?: string;
  inputTokens: number | null;
  outputTokens: number | null;
  createdAt: string;
  finishedAt: string;
}

let idCounter = 0;
/** cuid-shaped ids (25 characters), so sizes match real sessions */
function newId(): string {
  idCounter += 1;
  return `cbench${idCounter.toString(36).padStart(6, "0")}${Math.random().toString(36).slice(2, 15).padEnd(13, "0")}`;
}

const WORDS =
  "the test fails because the parser reads the numeral from the left and never subtracts a smaller value that comes before a larger one so I will rewrite the loop".split(
    " ",
  );
function prose(seed: number, characters: number): string {
  let text = "";
  for (let i = 0; text.length < characters; i++) text += `${WORDS[(seed * 7 + i * 13) % WORDS.length]} `;
  return text.trim();
}
function code(seed: number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(`def helper_${seed}_${i}(value):\n    return value * ${i} + ${seed}`);
  return out.join("\n");
}

/**
 * One agent turn's steps below `parent`: thinking, then either a file write and its
 * result, or a short answer. Sizes as a MiniMax-M2 coding run leaves them (the measured
 * 1,882-step session averaged ~900 bytes of JSON a step).
 */
function turnSteps(sessionId: string, parent: string, turn: number, clock: { t: number }): Row[] {
  const rows: Row[] = [];
  const add = (fields: Partial<Row> & Pick<Row, "kind" | "content">) => {
    clock.t += 1000;
    const at = new Date(clock.t).toISOString();
    const row: Row = {
      id: newId(),
      sessionId,
      parentId: rows[rows.length - 1]?.id ?? parent,
      origin: "model",
      status: "done",
      turn,
      providerData: null,
      inputTokens: null,
      outputTokens: null,
      createdAt: at,
      finishedAt: at,
      ...fields,
    };
    rows.push(row);
  };
  add({ kind: "thinking", content: prose(turn, 500), providerData: { route: "anthropic", signature: newId() } });
  if (turn % 4 === 3) {
    add({ kind: "text", content: prose(turn + 1, 260), inputTokens: 9000 + turn, outputTokens: 400 });
    return rows;
  }
  const path = `src/module_${turn % 23}.py`;
  const content = code(turn, 14);
  const toolCallId = `toolu_${newId()}`;
  const toolInput = JSON.stringify({ path, content });
  add({
    kind: "tool_call",
    content: toolInput,
    providerData: {
      route: "anthropic",
      toolCallId,
      toolName: "write_file",
      toolInput,
      file: { path, added: 28, removed: 3 },
    },
    inputTokens: 9000 + turn,
    outputTokens: 700,
  });
  add({
    kind: "tool_result",
    content: `Wrote ${path} (${content.length} characters).`,
    turn: null,
    providerData: { toolCallId, toolName: "write_file", isError: false },
  });
  return rows;
}

/** A branch of at least `length` steps below `parent`, turns numbered from `firstTurn`. */
function branchBelow(sessionId: string, parent: string, length: number, firstTurn: number, clock: { t: number }) {
  const rows: Row[] = [];
  for (let turn = firstTurn; rows.length < length; turn++) {
    rows.push(...turnSteps(sessionId, rows[rows.length - 1]?.id ?? parent, turn, clock));
  }
  return rows.slice(0, length);
}

/**
 * `total` steps below the task: a main branch and `forks` side branches of ~40 steps, the
 * first step of each an edit of a main-branch thinking step (a person's edit and the
 * model's continuation from it). Returns the rows and the main branch's leaf.
 */
function branchedTree(sessionId: string, taskId: string, total: number, forks: number) {
  const clock = { t: Date.parse("2026-11-01T00:00:00.000Z") };
  const forkLength = 40;
  const main = branchBelow(sessionId, taskId, total - forks * forkLength, 1, clock);
  const rows = [...main];
  for (let f = 0; f < forks; f++) {
    // Forks at evenly spaced thinking steps of the main branch.
    const at = main.findIndex(
      (row, i) => i >= Math.floor(((f + 1) * main.length) / (forks + 2)) && row.kind === "thinking",
    );
    const original = main[at] as Row;
    clock.t += 1000;
    const edit: Row = {
      ...original,
      id: newId(),
      editedFromId: original.id,
      origin: "human_edit",
      content: `${original.content} (edited: check the subtractive pairs first)`,
      createdAt: new Date(clock.t).toISOString(),
      finishedAt: new Date(clock.t).toISOString(),
    };
    rows.push(edit);
    rows.push(...branchBelow(sessionId, edit.id, forkLength - 1, 1000 + f * 50, clock));
  }
  return { rows, leafId: (main[main.length - 1] as Row).id };
}

async function insertRows(database: string, rows: Row[]): Promise<void> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    for (let i = 0; i < rows.length; i += 500) {
      await client.query(
        `INSERT INTO "Step" ("id","sessionId","parentId","kind","origin","status","content","turn","providerData","editedFromId","inputTokens","outputTokens","createdAt","finishedAt")
         SELECT r."id", r."sessionId", r."parentId", r."kind", r."origin", r."status", r."content", r."turn", r."providerData", r."editedFromId",
                r."inputTokens", r."outputTokens", r."createdAt"::timestamp(3), r."finishedAt"::timestamp(3)
         FROM json_to_recordset($1::json) AS r("id" text, "sessionId" text, "parentId" text, "kind" text, "origin" text, "status" text,
              "content" text, "turn" int, "providerData" jsonb, "editedFromId" text, "inputTokens" int, "outputTokens" int,
              "createdAt" text, "finishedAt" text)`,
        [JSON.stringify(rows.slice(i, i + 500))],
      );
    }
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------- app and database

let app: ChildProcess | null = null;
let databaseName: string | null = null;
let tempDir: string | null = null;

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

async function startApp(): Promise<string> {
  databaseName = `interleave_bench_large_${Date.now()}`;
  await adminQuery(`CREATE DATABASE "${databaseName}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${databaseName}`;
  tempDir = mkdtempSync(join(tmpdir(), "interleave-bench-large-"));
  app = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    cwd: ROOT,
    detached: true,
    stdio: "ignore",
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: url.toString(),
      DATA_DIR: join(tempDir, "data"),
      REDIS_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${APP}/api/health`)).ok) return url.toString();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("the app did not become healthy within 60 s");
    await sleep(250);
  }
}

async function cleanup(): Promise<void> {
  if (app?.pid && app.exitCode === null) {
    const exited = new Promise((done) => app?.once("exit", done));
    try {
      process.kill(-app.pid, "SIGTERM");
    } catch {
      app.kill("SIGTERM");
    }
    await Promise.race([exited, sleep(10_000)]);
  }
  app = null;
  if (databaseName) await adminQuery(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch(() => {});
  databaseName = null;
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

/** A guest account's cookie (what a first visit gets): every request below is made as that person. */
let cookie = "";
async function signInAsGuest(): Promise<void> {
  const response = await fetch(`${APP}/api/auth/sign-in/anonymous`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: APP },
    body: "{}",
  });
  if (!response.ok) throw new Error(`guest sign-in: ${response.status} ${await response.text()}`);
  cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

async function createSession(task: string): Promise<{ id: string; taskId: string }> {
  const response = await fetch(`${APP}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ task, modelId: "offline-demo" }),
  });
  if (!response.ok) throw new Error(`creating a session: ${response.status} ${await response.text()}`);
  const { session } = (await response.json()) as { session: { id: string; activeLeafId: string } };
  return { id: session.id, taskId: session.activeLeafId };
}

async function setActiveLeaf(sessionId: string, leafId: string): Promise<void> {
  const response = await fetch(`${APP}/api/sessions/${sessionId}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ activeLeafId: leafId }),
  });
  if (!response.ok) throw new Error(`PATCH activeLeafId: ${response.status} ${await response.text()}`);
}

// ---------------------------------------------------------------------------- measurements

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Time to the whole HTML document (server time plus a loopback transfer), median of 5 after one warm-up. */
async function measurePage(sessionId: string) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 6; i++) {
    const started = performance.now();
    const response = await fetch(`${APP}/s/${sessionId}`, { headers: { cookie } });
    const body = await response.arrayBuffer();
    if (i > 0) times.push(performance.now() - started);
    bytes = body.byteLength;
  }
  return { serverMs: median(times), htmlBytes: bytes };
}

/** The first SSE message (the snapshot): its size in bytes. */
async function measureSnapshot(sessionId: string): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(`${APP}/api/sessions/${sessionId}/events`, {
    headers: { cookie },
    signal: controller.signal,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const start = text.indexOf("data: ");
    const end = start >= 0 ? text.indexOf("\n\n", start) : -1;
    if (end >= 0) {
      controller.abort();
      return Buffer.byteLength(text.slice(start + 6, end));
    }
  }
  throw new Error("the stream ended before its snapshot");
}

/**
 * Scrolls the timeline from top to bottom, ~1,200 px a frame (a fast fling), and returns
 * the time between animation frames meanwhile.
 */
const SCROLL_SCRIPT = `(async () => {
  const scroller = document.querySelector('section[aria-label^="Timeline"]');
  if (!scroller) throw new Error("no timeline");
  scroller.scrollTop = 0;
  await new Promise((done) => setTimeout(done, 1000));
  const deltas = [];
  const started = performance.now();
  let last = started;
  await new Promise((done) => {
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      const bottom = scroller.scrollHeight - scroller.clientHeight;
      if (scroller.scrollTop >= bottom - 1 || now - started > 60000) return done();
      scroller.scrollTop = Math.min(bottom, scroller.scrollTop + 1200);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return { deltas: deltas.slice(1), seconds: (performance.now() - started) / 1000 };
})()`;

const LIVE_BADGE = '[title="Receiving updates live"]';

async function measureBrowser(branchedId: string, longId: string) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { cookie } });
    const page = await context.newPage();
    // warm-up: the first navigation compiles the page's scripts
    await page.goto(`${APP}/s/${branchedId}`);
    await page.waitForSelector(LIVE_BADGE, { timeout: 120_000 });
    const live: number[] = [];
    let domNodes = 0;
    for (let i = 0; i < 3; i++) {
      await page.goto(`${APP}/s/${branchedId}`, { waitUntil: "commit" });
      const at = await page.waitForFunction(
        (selector) => (document.querySelector(selector) ? performance.now() : false),
        LIVE_BADGE,
        { polling: "raf", timeout: 120_000 },
      );
      live.push((await at.jsonValue()) as number);
      domNodes = await page.evaluate(() => document.getElementsByTagName("*").length);
    }

    await page.goto(`${APP}/s/${longId}`);
    await page.waitForSelector(LIVE_BADGE, { timeout: 120_000 });
    const longDomNodes = await page.evaluate(() => document.getElementsByTagName("*").length);
    // A string, not a function: tsx would wrap the inner functions in a helper the page doesn't have.
    const frames = (await page.evaluate(SCROLL_SCRIPT)) as { deltas: number[]; seconds: number };
    if (flags.shots) await screenshots(browser, flags.shots, branchedId, longId);
    return { liveMs: median(live), liveRuns: live, domNodes, longDomNodes, frames };
  } finally {
    await browser.close();
  }
}

/** Both sessions in light and dark: the branched one at its end, the long one at its end and scrolled to its middle. */
async function screenshots(browser: Browser, dir: string, branchedId: string, longId: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      colorScheme,
      extraHTTPHeaders: { cookie },
    });
    const page = await context.newPage();
    for (const [name, id] of [
      ["branched", branchedId],
      ["long", longId],
    ] as const) {
      await page.goto(`${APP}/s/${id}`);
      await page.waitForSelector(LIVE_BADGE, { timeout: 120_000 });
      await page.waitForTimeout(1500);
      await page.screenshot({ path: join(dir, `${name}-end-${colorScheme}.png`) });
    }
    await page.evaluate(() => {
      const scroller = document.querySelector('section[aria-label^="Timeline"]');
      if (scroller) scroller.scrollTop = scroller.scrollHeight / 2;
    });
    await page.waitForTimeout(2000);
    await page.screenshot({ path: join(dir, `long-middle-${colorScheme}.png`) });
    await context.close();
  }
}

// ---------------------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, ".next", "BUILD_ID"))) {
    console.error("No production build: run `npm run build` first, then run this again.");
    process.exit(1);
  }
  const database = await startApp();
  try {
    await signInAsGuest();
    const branched = await createSession("Write a Roman numeral converter in Python with tests");
    const tree = branchedTree(branched.id, branched.taskId, Number(flags.steps) - 1, 7);
    await insertRows(database, tree.rows);
    await setActiveLeaf(branched.id, tree.leafId);

    const long = await createSession("Port the parser to TypeScript, module by module");
    const longRows = branchBelow(long.id, long.taskId, Number(flags.long) - 1, 1, {
      t: Date.parse("2026-11-02T00:00:00.000Z"),
    });
    await insertRows(database, longRows);
    await setActiveLeaf(long.id, (longRows[longRows.length - 1] as Row).id);
    console.log(
      `sessions: ${tree.rows.length + 1} steps (7 forks), ${longRows.length + 1} steps on one branch, PostgreSQL`,
    );

    const page = await measurePage(branched.id);
    const snapshotBytes = await measureSnapshot(branched.id);
    const browser = await measureBrowser(branched.id, long.id);
    const d = browser.frames.deltas;
    const result = {
      steps: tree.rows.length + 1,
      serverMs: Math.round(page.serverMs),
      htmlKB: Math.round(page.htmlBytes / 1024),
      snapshotKB: Math.round(snapshotBytes / 1024),
      liveMs: Math.round(browser.liveMs),
      liveRunsMs: browser.liveRuns.map(Math.round),
      domNodesAtLive: browser.domNodes,
      longSteps: longRows.length + 1,
      longDomNodes: browser.longDomNodes,
      scroll: {
        frames: d.length,
        seconds: Number(browser.frames.seconds.toFixed(1)),
        p50Ms: Number(percentile(d, 50).toFixed(1)),
        p95Ms: Number(percentile(d, 95).toFixed(1)),
        p99Ms: Number(percentile(d, 99).toFixed(1)),
        maxMs: Number(Math.max(...d).toFixed(1)),
        over50Ms: d.filter((x) => x > 50).length,
      },
    };
    console.log(`page (${result.steps} steps): server ${result.serverMs} ms, HTML ${result.htmlKB} KB`);
    console.log(`SSE snapshot: ${result.snapshotKB} KB`);
    console.log(
      `Chromium: "Live" after ${result.liveMs} ms (runs ${result.liveRunsMs.join(" / ")}), ${result.domNodesAtLive} DOM nodes`,
    );
    console.log(
      `scrolling ${result.longSteps} steps top to bottom (${result.longDomNodes} DOM nodes at load): ${result.scroll.frames} frames in ${result.scroll.seconds} s, ` +
        `frame time p50 ${result.scroll.p50Ms} ms, p95 ${result.scroll.p95Ms} ms, p99 ${result.scroll.p99Ms} ms, max ${result.scroll.maxMs} ms, ${result.scroll.over50Ms} over 50 ms`,
    );
    if (flags.json) writeFileSync(flags.json, JSON.stringify(result, null, 2));
  } finally {
    await cleanup();
  }
}

main().catch(async (error: unknown) => {
  console.error(error);
  await cleanup();
  process.exit(1);
});
