import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { CFS_PERIOD_US, capProcessCpu, cgroupLayout, orphanedCapGroups, ownCgroupPath, quotaFor } from "./cpu-limit";
import { SandboxPool } from "./pool";

describe("the CPU cap's pieces", () => {
  test("a cap in cores is a quota per 100 ms period, never below the kernel's 1 ms", () => {
    expect(CFS_PERIOD_US).toBe(100_000);
    expect(quotaFor(0.5)).toBe(50_000);
    expect(quotaFor(2)).toBe(200_000);
    expect(quotaFor(0.001)).toBe(1_000);
  });

  test("cgroup v1's cpu hierarchy is found under either of its mount names, else v2's unified one", () => {
    const files = (list: string[]) => (path: string) => list.includes(path);
    expect(cgroupLayout("/cg", files(["/cg/cpu/cpu.cfs_quota_us", "/cg/cgroup.controllers"]))).toEqual({
      version: 1,
      cpuRoot: "/cg/cpu",
    });
    expect(cgroupLayout("/cg", files(["/cg/cpu,cpuacct/cpu.cfs_quota_us"]))).toEqual({
      version: 1,
      cpuRoot: "/cg/cpu,cpuacct",
    });
    expect(cgroupLayout("/cg", files(["/cg/cgroup.controllers"]))).toEqual({ version: 2, root: "/cg" });
    expect(cgroupLayout("/cg", files([]))).toBeNull();
  });

  test("the process's own group is read from /proc/self/cgroup for the hierarchy in use", () => {
    const hybrid = "9:name=systemd:/\n4:memory:/jobs/7\n1:cpu,cpuacct:/jobs/7\n0::/unified/7\n";
    expect(ownCgroupPath(hybrid, 1)).toBe("/jobs/7");
    expect(ownCgroupPath(hybrid, 2)).toBe("/unified/7");
    expect(ownCgroupPath("0::/user.slice/app.scope\n", 2)).toBe("/user.slice/app.scope");
    expect(ownCgroupPath("0::/user.slice/app.scope\n", 1)).toBeNull();
    expect(ownCgroupPath("", 2)).toBeNull();
  });

  test("groups left by apps that are gone are found by the pid in their name; others are left", () => {
    const names = [
      "interleave-sandbox-10-0",
      "interleave-sandbox-10-1",
      "interleave-sandbox-20-0",
      "other-30-0",
      "interleave-sandbox-x-0",
    ];
    expect(orphanedCapGroups(names, (pid) => pid === 20)).toEqual([
      "interleave-sandbox-10-0",
      "interleave-sandbox-10-1",
    ]);
  });

  test("where there is no cgroup filesystem the cap is refused with the reason, nothing thrown", () => {
    const root = mkdtempSync(join(tmpdir(), "interleave-no-cgroup-"));
    try {
      expect(capProcessCpu(process.pid, 0.5, "x", root)).toEqual({
        reason: `no cgroup filesystem with the cpu controller under ${root}`,
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** Where this machine's cap groups go (beside this process's own group), when it lets us make one. */
function writableCapParent(): string | null {
  if (process.platform !== "linux") return null;
  const layout = cgroupLayout("/sys/fs/cgroup");
  if (!layout) return null;
  const own = ownCgroupPath(readFileSync("/proc/self/cgroup", "utf8"), layout.version);
  if (own === null) return null;
  const base = layout.version === 1 ? layout.cpuRoot : layout.root;
  const parent = join(base, layout.version === 1 || own === "/" ? own : own.slice(0, own.lastIndexOf("/")) || "/");
  const probe = join(parent, `interleave-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return parent;
  } catch {
    return null;
  }
}

const capParent = writableCapParent();

describe.runIf(capParent)("SANDBOX_CPU_LIMIT: the sandbox host runs in a capped control group", () => {
  const pool = new SandboxPool({ warmWorkers: 1, cpuLimit: 0.2 });
  const groups = () =>
    readdirSync(capParent as string).filter((name) => name.startsWith(`interleave-sandbox-${process.pid}-`));
  afterAll(() => pool.close());

  test("the host and its workers are in a group held to 0.2 cores, which throttles a busy test, and the group goes with the host", async () => {
    expect(groups()).toEqual([]);
    const report = await pool.run({
      language: "javascript",
      files: {
        "busy.test.js":
          'import { expect, test } from "vitest";\ntest("spins", () => { const end = Date.now() + 600; let n = 0; while (Date.now() < end) n++; expect(n).toBeGreaterThan(0); });',
      },
      testFiles: ["busy.test.js"],
      limits: { timeMs: 10_000, memoryBytes: 64 * 1024 * 1024, outputBytes: 64 * 1024 },
    });
    expect(report.outcome).toBe("completed");
    const [group] = groups();
    expect(group).toBeDefined();
    const path = join(capParent as string, group as string);
    const pids = readFileSync(join(path, "cgroup.procs"), "utf8").trim().split("\n").filter(Boolean);
    expect(pids).toHaveLength(1);
    expect(readFileSync(`/proc/${pids[0]}/cmdline`, "utf8")).toContain("lib/sandbox/worker/host.mjs");
    const quota = existsSync(join(path, "cpu.max"))
      ? readFileSync(join(path, "cpu.max"), "utf8").trim()
      : `${readFileSync(join(path, "cpu.cfs_quota_us"), "utf8").trim()} ${readFileSync(join(path, "cpu.cfs_period_us"), "utf8").trim()}`;
    expect(quota).toBe("20000 100000");
    const throttled = /nr_throttled (\d+)/.exec(readFileSync(join(path, "cpu.stat"), "utf8"))?.[1];
    expect(Number(throttled)).toBeGreaterThan(0);

    await pool.close();
    expect(existsSync(path)).toBe(false);
  });
});
