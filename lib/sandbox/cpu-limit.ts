import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A CPU cap for the sandbox host process (SANDBOX_CPU_LIMIT), through a Linux control group's
 * CFS bandwidth control: the kernel lets the group's threads run `quota` µs of CPU in every
 * `period` µs, together, and holds them until the next period once they have (Linux's
 * Documentation/scheduler/sched-bwc.rst; cgroup v1 `cpu.cfs_quota_us`/`cpu.cfs_period_us`,
 * cgroup v2 `cpu.max` = "quota period", Documentation/admin-guide/cgroup-v2.rst).
 *
 * Why: idle priority (SANDBOX_NICE=idle) lets the app's threads win a contested core, but it
 * does not keep a machine with every core busy from delaying them (README, Performance: two
 * idle-priority busy loops moved even a bare relay's p99 from 6 to 41 ms on the 2-core
 * machine; the same loops busy half the time left it level). A cap leaves the relay cores to
 * wake on.
 *
 * The group is made beside the app's own (its path from /proc/self/cgroup) and needs write
 * access to the cgroup filesystem: root on a host or VM, or a container given its own cgroup
 * tree. Where that is missing the cap is not applied and the caller is told why.
 */

/** The CFS period used, in µs (the kernel's default period). */
export const CFS_PERIOD_US = 100_000;

/** The smallest quota the kernel takes, in µs. */
const MIN_QUOTA_US = 1_000;

/** Quota in µs per CFS_PERIOD_US for a cap of `cores` (0.5 = half of one core; 2 = two cores). */
export function quotaFor(cores: number): number {
  return Math.max(MIN_QUOTA_US, Math.round(cores * CFS_PERIOD_US));
}

/** Which cgroup filesystem a machine has for the CPU controller, and where. */
export type CgroupLayout = { version: 1; cpuRoot: string } | { version: 2; root: string };

/**
 * The CPU controller's filesystem under `root` (normally /sys/fs/cgroup): cgroup v1's `cpu`
 * hierarchy (mounted as `cpu` or `cpu,cpuacct`) when there is one, else the v2 unified
 * hierarchy when its root lists the `cpu` controller; null when neither.
 */
export function cgroupLayout(root: string, exists: (path: string) => boolean = existsSync): CgroupLayout | null {
  for (const name of ["cpu", "cpu,cpuacct", "cpuacct,cpu"]) {
    if (exists(join(root, name, "cpu.cfs_quota_us"))) return { version: 1, cpuRoot: join(root, name) };
  }
  if (exists(join(root, "cgroup.controllers"))) return { version: 2, root };
  return null;
}

/**
 * The process's own group in the CPU hierarchy, from the text of /proc/self/cgroup (proc(5):
 * `id:controllers:path` per line; v2's line is `0::path`). Null when the text names none.
 */
export function ownCgroupPath(procCgroup: string, version: 1 | 2): string | null {
  for (const line of procCgroup.split("\n")) {
    const [id, controllers, ...rest] = line.split(":");
    const path = rest.join(":");
    if (id === undefined || controllers === undefined || !path.startsWith("/")) continue;
    if (version === 2 && id === "0" && controllers === "") return path;
    if (version === 1 && controllers.split(",").includes("cpu")) return path;
  }
  return null;
}

/** A cap in place: `release()` moves nothing back, it removes the group once its process has exited. */
export interface CpuCap {
  /** the group's directory */
  path: string;
  release(): void;
}

/** Every cap group's name starts with this, then the app's pid: `interleave-sandbox-<app pid>-<n>`. */
export const CAP_GROUP_PREFIX = "interleave-sandbox-";

/**
 * The cap groups in `parent` left by apps that are gone (killed before their host's group
 * could be removed): named CAP_GROUP_PREFIX + a pid that `alive` says is not running.
 */
export function orphanedCapGroups(names: string[], alive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const pid = Number(/^interleave-sandbox-(\d+)-\d+$/.exec(name)?.[1]);
    return Number.isInteger(pid) && pid > 0 && !alive(pid);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Puts process `pid` (all its threads; threads it starts later inherit the group) in a new
 * control group named `name` (starting with CAP_GROUP_PREFIX and this app's pid), beside this
 * process's own group, capped at `cores`; empty groups of apps that are gone are removed
 * first. Answers the cap, or the reason it could not be applied (never throws). `root` is the
 * cgroup filesystem (for tests).
 */
export function capProcessCpu(
  pid: number,
  cores: number,
  name: string,
  root = "/sys/fs/cgroup",
): { cap: CpuCap } | { reason: string } {
  const layout = cgroupLayout(root);
  if (!layout) return { reason: `no cgroup filesystem with the cpu controller under ${root}` };
  let procCgroup: string;
  try {
    procCgroup = readFileSync("/proc/self/cgroup", "utf8");
  } catch {
    return { reason: "/proc/self/cgroup can't be read" };
  }
  const own = ownCgroupPath(procCgroup, layout.version);
  if (own === null) return { reason: "this process's cgroup is not listed in /proc/self/cgroup" };
  const base = layout.version === 1 ? layout.cpuRoot : layout.root;
  // v2 lets a group with processes have no child groups with controllers on (the "no
  // internal processes" rule), so there the cap's group goes beside the app's, in its parent
  const parent = layout.version === 1 || own === "/" ? own : own.slice(0, own.lastIndexOf("/")) || "/";
  const path = join(base, parent, name);
  try {
    for (const orphan of orphanedCapGroups(readdirSync(join(base, parent)), isAlive)) {
      removeGroup(join(base, parent, orphan));
    }
    mkdirSync(path, { recursive: true });
    if (layout.version === 1) {
      writeFileSync(join(path, "cpu.cfs_period_us"), String(CFS_PERIOD_US));
      writeFileSync(join(path, "cpu.cfs_quota_us"), String(quotaFor(cores)));
    } else {
      writeFileSync(join(path, "cpu.max"), `${quotaFor(cores)} ${CFS_PERIOD_US}`);
    }
    writeFileSync(join(path, "cgroup.procs"), String(pid));
  } catch (error) {
    removeGroup(path);
    return { reason: `${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  return { cap: { path, release: () => removeGroup(path) } };
}

/** Removes an empty group (the kernel refuses while a process is in it); a failure leaves it. */
function removeGroup(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // still has a process, already gone, or never made
  }
}
