/**
 * The session page's main-thread cost while a run streams, in Chromium.
 *
 *   npx tsx scripts/profile-session-page.ts --base http://127.0.0.1:3000 [--runs 3] [--profile out.cpuprofile]
 *
 * Needs the app already serving `--base` (a production build: `next build && next start`)
 * with the offline demo model (no MINIMAX_API_KEY; README "Quick start"). Per run: signs in
 * as a new guest, creates a session for the demo's Roman numeral task, opens it, clicks
 * Run and waits for "Done"; meanwhile it counts the stream's messages (CDP
 * Network.eventSourceMessageReceived) and times a Playwright query of the Share button
 * every 250 ms (what a test waits on). It prints, per run and as medians, the CDP
 * Performance metrics' growth over the run (TaskDuration, ScriptDuration, LayoutDuration,
 * RecalcStyleDuration, in ms), the same per stream message (µs), and the query's median
 * and worst time (ms). `--profile` writes the last run's CPU profile (Chrome DevTools
 * format) and prints the functions with the most self time; `--trace` writes the last
 * run's Chromium trace and prints the time of the main thread's events by name (nested
 * events count in each of their ancestors).
 *
 * Not a test and not a benchmark of the server: on a shared machine the numbers are noisy,
 * so compare medians of several runs of the same build.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type CDPSession, chromium, type Page } from "@playwright/test";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "http://127.0.0.1:3000" },
    runs: { type: "string", default: "3" },
    profile: { type: "string" },
    trace: { type: "string" },
    task: { type: "string", default: "Write a Roman numeral converter in Python with tests" },
  },
});
const base = values.base;
const METRICS = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration"] as const;
type Metric = (typeof METRICS)[number];

interface RunResult {
  /** metric growth over the run, ms */
  ms: Record<Metric, number>;
  messages: number;
  wallMs: number;
  /** Share-button query times, ms */
  queries: number[];
}

async function metrics(cdp: CDPSession): Promise<Record<Metric, number>> {
  const { metrics: all } = (await cdp.send("Performance.getMetrics")) as {
    metrics: { name: string; value: number }[];
  };
  const out = {} as Record<Metric, number>;
  for (const name of METRICS) out[name] = (all.find((m) => m.name === name)?.value ?? 0) * 1000;
  return out;
}

/** The middle value (the lower of the two middle ones); NaN for none. */
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions with the most self time in a CPU profile, as printable lines. */
function topSelf(profile: Profile, count = 25): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url.split("/").at(-1) ?? "";
    const key = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .filter(([key]) => !key.startsWith("(idle)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}`);
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** Milliseconds of the renderer main thread's complete events, by name, as printable lines. */
function mainThreadEvents(trace: Buffer, count = 25): string[] {
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set(
    events
      .filter((event) => event.name === "thread_name" && event.args?.name === "CrRendererMain")
      .map((event) => `${event.pid}:${event.tid}`),
  );
  const byName = new Map<string, number>();
  for (const event of events) {
    if (event.ph !== "X" || event.dur === undefined || !main.has(`${event.pid}:${event.tid}`)) continue;
    byName.set(event.name, (byName.get(event.name) ?? 0) + event.dur / 1000);
  }
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${name}`);
}

async function oneRun(
  page: Page,
  profile: boolean,
  trace: boolean,
): Promise<{ result: RunResult; cpu: Profile | null; traced: Buffer | null }> {
  const created = await page.request.post("/api/sessions", { data: { task: values.task, modelId: "offline-demo" } });
  if (created.status() !== 201) throw new Error(`POST /api/sessions: ${created.status()} ${await created.text()}`);
  const { session } = (await created.json()) as { session: { id: string } };
  const cdp = await page.context().newCDPSession(page);
  let messages = 0;
  await cdp.send("Network.enable");
  cdp.on("Network.eventSourceMessageReceived", () => {
    messages += 1;
  });
  await page.goto(`/s/${session.id}`);
  await page.getByText("Live", { exact: true }).waitFor();
  // Monaco loads once the page is idle (usePreloadMonaco): a one-time cost, not the stream's
  await page.waitForTimeout(5000);
  await cdp.send("Performance.enable");
  if (profile) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
    await cdp.send("Profiler.start");
  }
  const browser = page.context().browser();
  if (trace && browser) {
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
  }
  const before = await metrics(cdp);
  const messagesBefore = messages;
  const started = Date.now();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const status = page.getByRole("status", { name: "Run status" });
  const queries: number[] = [];
  let done = false;
  const querying = (async () => {
    while (!done) {
      const at = Date.now();
      await page.getByRole("button", { name: "Share" }).isVisible();
      queries.push(Date.now() - at);
      await page.waitForTimeout(250);
    }
  })();
  await status.getByText(/Done|Failed|Stopped/).waitFor({ timeout: 180_000 });
  const wallMs = Date.now() - started;
  const after = await metrics(cdp);
  done = true;
  await querying;
  let cpu: Profile | null = null;
  if (profile) cpu = ((await cdp.send("Profiler.stop")) as { profile: Profile }).profile;
  const traced = trace && browser ? await browser.stopTracing() : null;
  const ms = {} as Record<Metric, number>;
  for (const name of METRICS) ms[name] = after[name] - before[name];
  await cdp.detach();
  return { result: { ms, messages: messages - messagesBefore, wallMs, queries }, cpu, traced };
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const runs = Number(values.runs);
  const results: RunResult[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
      const guest = await context.request.get("/api/auth/guest?next=/api/health");
      if (!guest.ok()) throw new Error(`guest sign-in: ${guest.status()}`);
      const page = await context.newPage();
      const last = i === runs - 1;
      const { result, cpu, traced } = await oneRun(
        page,
        last && values.profile !== undefined,
        last && values.trace !== undefined,
      );
      results.push(result);
      const perMessage = METRICS.map((m) => `${m} ${((1000 * result.ms[m]) / result.messages).toFixed(0)}µs`);
      console.log(
        `run ${i + 1}: ${result.messages} messages in ${(result.wallMs / 1000).toFixed(1)} s; ` +
          METRICS.map((m) => `${m} ${result.ms[m].toFixed(0)} ms`).join(", "),
      );
      console.log(`  per message: ${perMessage.join(", ")}`);
      console.log(
        `  Share query: median ${median(result.queries)} ms, worst ${Math.max(...result.queries)} ms (${result.queries.length} queries)`,
      );
      if (cpu && values.profile) {
        writeFileSync(values.profile, JSON.stringify(cpu));
        console.log(`CPU profile: ${values.profile}; most self time:`);
        for (const line of topSelf(cpu)) console.log(line);
      }
      if (traced && values.trace) {
        writeFileSync(values.trace, traced);
        console.log(`trace: ${values.trace}; main thread by event:`);
        for (const line of mainThreadEvents(traced)) console.log(line);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`\nmedians of ${runs} runs:`);
  for (const m of METRICS) {
    const total = median(results.map((r) => r.ms[m]));
    const per = median(results.map((r) => (1000 * r.ms[m]) / r.messages));
    console.log(`  ${m}: ${total.toFixed(0)} ms per run, ${per.toFixed(0)} µs per message`);
  }
  console.log(`  messages: ${median(results.map((r) => r.messages))}`);
  console.log(`  Share query: median ${median(results.map((r) => median(r.queries)))} ms`);
  console.log(`  Share query worst: median ${median(results.map((r) => Math.max(...r.queries)))} ms`);
}

await main();
