/**
 * `npm run bench:sandbox`: what running tests in the sandbox costs, for Python (Pyodide)
 * and TypeScript (QuickJS), on one small model-style test file each.
 *
 * - cold start: a process's first Python run pays for the memory snapshot; a run that
 *   finds no warm worker pays for loading its interpreter (from the snapshot for Python)
 * - warm run p50/p99: a run handed a ready worker, as the pool means every run to be
 * - memory per sandbox: the interpreter's WASM memory + the worker's JS heap at the end of
 *   a run, and the process RSS each idle warm worker adds
 * - runs per second one process sustains: runs started as fast as the pool takes them,
 *   each on a fresh worker, with SANDBOX_MAX_RUNNING (default: cores) at once
 *
 * Wall times depend on what else the machine runs; each phase also prints the process's CPU
 * time per run (all threads), which doesn't, and the load average before and after.
 *
 * CPU and memory count this process and its sandbox host (the child process the workers
 * live in, read from /proc on Linux), and say how much of the CPU was the app's own.
 *
 * Options: --runs N (warm runs per language, default 30), --throughput N (runs per
 * language in the throughput phase, default 20). Each phase takes a `Load` that runs beside
 * it; today only the idle machine (`idle`). A "while 50 runs stream" mode plugs in here as
 * another Load that starts the app and its streams in start() and stops them in stop().
 */
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { formatTestReport, type RunTestsInput, runTests, SandboxPool } from "../../lib/sandbox/index";

interface Load {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const idle: Load = { name: "idle machine", start: async () => {}, stop: async () => {} };

const PYTHON: RunTestsInput = {
  files: {
    "solution.py":
      "def fizzbuzz(n: int) -> str:\n    if n % 15 == 0:\n        return 'FizzBuzz'\n    if n % 3 == 0:\n        return 'Fizz'\n    if n % 5 == 0:\n        return 'Buzz'\n    return str(n)\n",
    "test_solution.py":
      "import pytest\nfrom solution import fizzbuzz\n\n@pytest.mark.parametrize('n, expected', [(1, '1'), (3, 'Fizz'), (5, 'Buzz'), (15, 'FizzBuzz')])\ndef test_fizzbuzz(n, expected):\n    assert fizzbuzz(n) == expected\n\ndef test_wrong():\n    assert fizzbuzz(6) == 'Buzz'\n",
  },
};

const TYPESCRIPT: RunTestsInput = {
  files: {
    "src/fizzbuzz.ts":
      "export function fizzbuzz(n: number): string {\n  if (n % 15 === 0) return 'FizzBuzz';\n  if (n % 3 === 0) return 'Fizz';\n  if (n % 5 === 0) return 'Buzz';\n  return String(n);\n}\n",
    "src/fizzbuzz.test.ts":
      "import { describe, expect, it } from 'vitest';\nimport { fizzbuzz } from './fizzbuzz';\n\ndescribe('fizzbuzz', () => {\n  it.each([[1, '1'], [3, 'Fizz'], [5, 'Buzz'], [15, 'FizzBuzz']])('%i is %s', (n, expected) => {\n    expect(fizzbuzz(n)).toBe(expected);\n  });\n  it('is wrong on purpose', () => {\n    expect(fizzbuzz(6)).toBe('Buzz');\n  });\n});\n",
  },
};

const LANGUAGES = [
  { label: "Python", engine: "python", input: PYTHON },
  { label: "TypeScript", engine: "javascript", input: TYPESCRIPT },
] as const;

const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
/** The fields of a /proc stat line after the command name (which may hold spaces): ppid 1, utime 11, stime 12. */
function statFields(path: string): string[] {
  const stat = readFileSync(path, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** This process's sandbox hosts (lib/sandbox/worker/host.mjs), from /proc; none where /proc is missing. */
function sandboxHosts(): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries.filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return (
        Number(statFields(`/proc/${pid}/stat`)[1]) === process.pid &&
        readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("lib/sandbox/worker/host.mjs")
      );
    } catch {
      return false; // it ended meanwhile
    }
  });
}

/** CPU time (ms) the live sandbox hosts have used so far. USER_HZ is 100 on Linux. */
function hostCpu(): number {
  return sandboxHosts().reduce((sum, pid) => {
    try {
      const fields = statFields(`/proc/${pid}/stat`);
      return sum + (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return sum;
    }
  }, 0);
}

/** Resident memory (bytes) of this process plus its live sandbox hosts. */
function rss(): number {
  return sandboxHosts().reduce((sum, pid) => {
    try {
      return sum + Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * 4096;
    } catch {
      return sum;
    }
  }, process.memoryUsage().rss);
}

/** CPU time (ms) split by process: the app's (the pool's own work) and the sandbox hosts'. */
interface Cpu {
  app: number;
  sandbox: number;
}

/**
 * Runs `work`; returns its result, wall time, and the CPU time it took (ms) in this process
 * and in the sandbox hosts (all threads of each). A host that `work` closes is not counted:
 * measure before closing a pool.
 */
async function timed<T>(work: () => Promise<T>): Promise<[T, number, Cpu]> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const hostBefore = hostCpu();
  const result = await work();
  const used = process.cpuUsage(cpu);
  const elapsed = performance.now() - start;
  return [result, elapsed, { app: (used.user + used.system) / 1000, sandbox: hostCpu() - hostBefore }];
}

const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" / ");

async function checkedRun(pool: SandboxPool, input: RunTestsInput) {
  const report = await runTests(input, pool);
  // 4 + 4 of the 5 tests pass, one fails on purpose: anything else is a broken sandbox
  if (report.outcome !== "completed" || report.counts.passed !== 4 || report.counts.failed !== 1) {
    throw new Error(`unexpected report:\n${formatTestReport(report)}`);
  }
  return report;
}

async function coldStart(): Promise<void> {
  console.log("\nCold start (a new pool, nothing warm)");
  for (const { label, engine, input } of LANGUAGES) {
    const pool = new SandboxPool({ warmWorkers: 0 });
    const [, first] = await timed(() => checkedRun(pool, input));
    const [, second] = await timed(() => checkedRun(pool, input));
    const note = engine === "python" ? " (snapshot + interpreter + run)" : " (interpreter + run)";
    console.log(
      `  ${label.padEnd(10)} first run of a process ${ms(first)}${note}; a run with no warm worker ${ms(second)}`,
    );
    await pool.close();
  }
}

async function warmRuns(runs: number): Promise<void> {
  console.log(`\nWarm run (a ready worker per run; ${runs} runs each)`);
  for (const { label, engine, input } of LANGUAGES) {
    const pool = new SandboxPool({ warmWorkers: 1 });
    await pool.warmUp([engine]);
    const times: number[] = [];
    const cpus: number[] = [];
    const appCpus: number[] = [];
    const memory: number[] = [];
    for (let i = 0; i < runs; i++) {
      await pool.warmUp([engine]);
      const [report, elapsed, cpu] = await timed(() => checkedRun(pool, input));
      times.push(elapsed);
      cpus.push(cpu.app + cpu.sandbox);
      appCpus.push(cpu.app);
      if (report.memoryBytes) memory.push(report.memoryBytes);
    }
    console.log(
      `  ${label.padEnd(10)} p50 ${ms(percentile(times, 0.5))}, p99 ${ms(percentile(times, 0.99))} (CPU p50 ${ms(percentile(cpus, 0.5))}, of which the app's ${ms(percentile(appCpus, 0.5))}); memory at the end of a run p50 ${mib(percentile(memory, 0.5))}, max ${mib(Math.max(...memory))}`,
    );
    await pool.close();
  }
}

async function idleFootprint(): Promise<void> {
  console.log("\nProcess memory per idle warm sandbox");
  for (const { label, engine, input } of LANGUAGES) {
    const pool = new SandboxPool({ warmWorkers: 0 });
    await checkedRun(pool, input);
    const before = rss();
    const count = 4;
    const extra = new SandboxPool({ warmWorkers: count });
    // share nothing with the first pool but the warm-up code: the snapshot is made again
    await extra.warmUp([engine]);
    const after = rss();
    console.log(`  ${label.padEnd(10)} ${mib((after - before) / count)} RSS per warm worker (${count} warm)`);
    await Promise.all([pool.close(), extra.close()]);
  }
}

async function throughput(runs: number): Promise<void> {
  const pool = new SandboxPool();
  console.log(`\nSustained runs (${runs} per language, ${pool.options.maxRunning} at once, each on a fresh worker)`);
  await pool.warmUp();
  for (const { label, input } of LANGUAGES) {
    const [, elapsed, cpu] = await timed(() =>
      Promise.all(Array.from({ length: runs }, () => checkedRun(pool, input))),
    );
    const total = cpu.app + cpu.sandbox;
    const cores = availableParallelism();
    console.log(
      `  ${label.padEnd(10)} ${(runs / (elapsed / 1000)).toFixed(1)} runs/s (${ms(elapsed)} for ${runs}); CPU ${ms(total / runs)} per run (warm-up included) = ${((cores * 1000 * runs) / total).toFixed(1)} runs/s on ${cores} free cores`,
    );
    console.log(
      `  ${"".padEnd(10)} of which ${ms(cpu.sandbox / runs)} in the niced sandbox host, ${ms(cpu.app / runs)} in the app's process`,
    );
  }
  await pool.close();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "30" }, throughput: { type: "string", default: "20" } },
  });
  const background = idle;
  console.log(`Sandbox benchmark on ${process.version}, ${background.name}; load average ${loadAverage()}`);
  await background.start();
  try {
    await coldStart();
    await warmRuns(Number(values.runs));
    await idleFootprint();
    await throughput(Number(values.throughput));
  } finally {
    await background.stop();
  }
  console.log(`\nload average at the end ${loadAverage()}`);
}

await main();
