import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, test } from "vitest";
import { type RunJob, SandboxPool } from "./pool";

const linux = process.platform === "linux";

/** The fields of a /proc stat line after the command name (which may hold spaces): ppid at 1, nice at 16. */
function statFields(path: string): string[] {
  const stat = readFileSync(path, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The niceness of each thread of a process, from /proc. */
function threadNiceness(pid: number | "self"): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => Number(statFields(`/proc/${pid}/task/${tid}/stat`)[16]));
}

/** SCHED_IDLE's number in a /proc stat line's policy field (sched(7), proc(5)). */
const SCHED_IDLE = 5;

/** The scheduling policy of each thread of a process, from /proc (the stat line's 41st field). */
function threadPolicies(pid: number | "self"): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => Number(statFields(`/proc/${pid}/task/${tid}/stat`)[38]));
}

/** Whether util-linux's chrt is here (the "idle" priority's tool; without it the niceness alone applies). */
const chrt = existsSync("/usr/bin/chrt") || existsSync("/bin/chrt");

/** This process's children running the sandbox host. */
function sandboxHosts(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return (
          Number(statFields(`/proc/${pid}/stat`)[1]) === process.pid &&
          readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("lib/sandbox/worker/host.mjs")
        );
      } catch {
        return false; // the process ended meanwhile
      }
    })
    .map(Number);
}

/** The one sandbox host of this test's pool. */
function onlyHost(): number {
  const hosts = sandboxHosts();
  if (hosts.length !== 1) throw new Error(`expected one sandbox host, found ${hosts.length}`);
  return hosts[0] as number;
}

/** A TypeScript run whose one test passes. */
const PASSING: RunJob = {
  language: "typescript",
  files: { "sum.test.ts": 'import { expect, test } from "vitest";\ntest("adds", () => expect(1 + 1).toBe(2));' },
  testFiles: ["sum.test.ts"],
  limits: { timeMs: 5000, memoryBytes: 64 * 1024 * 1024, outputBytes: 64 * 1024 },
};

describe.runIf(linux)("sandboxes run in a host process at a lower CPU priority", () => {
  const pool = new SandboxPool({ warmWorkers: 1, nice: 12 });
  afterAll(() => pool.close());

  test("every thread of the host is niced, V8's helper threads included, and none of the app's is", async () => {
    expect(sandboxHosts()).toEqual([]);
    await pool.warmUp(["javascript"]);
    const host = threadNiceness(onlyHost());
    // main thread, V8's platform workers, libuv's pool, the warm worker's thread
    expect(host.length).toBeGreaterThan(4);
    expect(host.every((nice) => nice === 12)).toBe(true);
    expect(threadNiceness("self").every((nice) => nice === 0)).toBe(true);
  });

  test("a niced worker still runs tests", async () => {
    const record = await pool.run(PASSING);
    expect(record.outcome).toBe("completed");
  });

  test("the host process has none of the app's environment", async () => {
    const host = onlyHost();
    const environ = readFileSync(`/proc/${host}/environ`, "utf8").split("\0").filter(Boolean);
    // Node's own two name the IPC channel
    expect(environ.map((entry) => entry.split("=")[0]).sort()).toEqual([
      "NODE_CHANNEL_FD",
      "NODE_CHANNEL_SERIALIZATION_MODE",
      "NODE_ENV",
    ]);
  });

  test("a SIGTERM or SIGINT to the app's whole process group leaves the host and its running run alone", async () => {
    // Ctrl-C in a terminal, `kill -TERM -<pgid>`, systemd's control-group stop: the app's graceful
    // stop lets a person's test run finish, which the host must outlive (it ended "crashed")
    const host = onlyHost();
    const running = pool.run({
      language: "typescript",
      files: {
        "busy.test.ts":
          'import { test } from "vitest";\ntest("busy", () => { const start = Date.now(); while (Date.now() - start < 1000) {} });',
      },
      testFiles: ["busy.test.ts"],
      limits: { timeMs: 10_000, memoryBytes: 64 * 1024 * 1024, outputBytes: 64 * 1024 },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(host, "SIGTERM");
    process.kill(host, "SIGINT");
    const record = await running;
    expect(record.outcome).toBe("completed");
    expect(sandboxHosts()).toEqual([host]);
  });

  test("a host that dies fails its running run as crashed, and the next run starts a new host", async () => {
    const host = onlyHost();
    const running = pool.run({
      language: "typescript",
      files: { "spin.test.ts": 'import { test } from "vitest";\ntest("spins", () => { for (;;) {} });' },
      testFiles: ["spin.test.ts"],
      limits: { timeMs: 20_000, memoryBytes: 64 * 1024 * 1024, outputBytes: 64 * 1024 },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(host, "SIGKILL");
    const record = await running;
    expect(record.outcome).toBe("crashed");
    const next = await pool.run(PASSING);
    expect(next.outcome).toBe("completed");
    expect(sandboxHosts()).not.toContain(host);
  });
});

describe.runIf(linux && chrt)("SANDBOX_NICE=idle: the host runs under SCHED_IDLE", () => {
  const pool = new SandboxPool({ warmWorkers: 1, nice: "idle" });
  afterAll(() => pool.close());

  test("every thread of the host, the workers' started after it included, is SCHED_IDLE at niceness 19; the app's are not", async () => {
    await pool.warmUp(["javascript"]);
    const host = onlyHost();
    const policies = threadPolicies(host);
    expect(policies.length).toBeGreaterThan(4);
    expect(policies.every((policy) => policy === SCHED_IDLE)).toBe(true);
    expect(threadNiceness(host).every((nice) => nice === 19)).toBe(true);
    expect(threadPolicies("self").some((policy) => policy === SCHED_IDLE)).toBe(false);
    const record = await pool.run(PASSING);
    expect(record.outcome).toBe("completed");
  });
});
