import { readdirSync, readFileSync } from "node:fs";

/**
 * Where the machine's CPU went during a benchmark: the whole machine's busy time from
 * /proc/stat, and each named group's processes from /proc/<pid>/stat, so a table can say
 * whether the cores were saturated and by whom (the apps, PostgreSQL, Redis, the harness
 * itself, or something else on the machine). Linux only; elsewhere every reading is null.
 */

/** USER_HZ: /proc's clock ticks per second (proc(5); 100 on every Linux Node runs on). */
const TICKS_PER_SECOND = 100;

/** The fields of a /proc/<pid>/stat line after its command name (which may hold spaces and parentheses). */
export function statFields(line: string): string[] {
  return line.slice(line.lastIndexOf(")") + 2).split(" ");
}

/** The command name of a /proc/<pid>/stat line (its second field, in parentheses). */
export function statCommand(line: string): string {
  return line.slice(line.indexOf("(") + 1, line.lastIndexOf(")"));
}

/** utime + stime of a /proc/<pid>/stat line, in seconds (fields 14 and 15, proc(5)). */
export function statCpuSeconds(line: string): number {
  const fields = statFields(line);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The process group of a /proc/<pid>/stat line (field 5). */
export function statProcessGroup(line: string): number {
  return Number(statFields(line)[2]);
}

/**
 * Busy and total CPU seconds of the whole machine from /proc/stat's first line (summed over
 * cores): busy is everything but idle and iowait; guest time is already inside user.
 */
export function machineSeconds(procStat: string): { busy: number; total: number } {
  const first = procStat.split("\n", 1)[0] ?? "";
  const [user, nice, system, idle, iowait, irq, softirq, steal] = first.trim().split(/\s+/).slice(1).map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, value) => sum + (value ?? 0), 0);
  const total = busy + (idle ?? 0) + (iowait ?? 0);
  return { busy: busy / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** Which group a process belongs to, from its stat line; null: not one of the benchmark's. */
export type Classifier = (line: string, pid: number) => string | null;

/** CPU seconds so far: per group, and the machine's busy and total. */
export interface CpuReading {
  groups: Map<string, number>;
  busy: number;
  total: number;
}

/**
 * Reads every process's CPU time into its group. Processes that ended since an earlier
 * reading drop out of their group, so a group's difference between two readings can be
 * low; the benchmark's own processes live through its runs.
 */
export function readCpu(classify: Classifier): CpuReading | null {
  let procStat: string;
  try {
    procStat = readFileSync("/proc/stat", "utf8");
  } catch {
    return null;
  }
  const groups = new Map<string, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let line: string;
    try {
      line = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    const group = classify(line, Number(entry));
    if (group) groups.set(group, (groups.get(group) ?? 0) + statCpuSeconds(line));
  }
  return { groups, ...machineSeconds(procStat) };
}

/**
 * The cores each group used between two readings (CPU seconds / wall seconds), plus
 * "other" (the machine's busy time no group accounts for) and the machine's busy cores.
 */
export function coresBetween(before: CpuReading, after: CpuReading, wallSeconds: number): Map<string, number> {
  const cores = new Map<string, number>();
  let accounted = 0;
  for (const [group, seconds] of after.groups) {
    const used = Math.max(0, seconds - (before.groups.get(group) ?? 0));
    accounted += used;
    cores.set(group, used / wallSeconds);
  }
  const busy = after.busy - before.busy;
  cores.set("other", Math.max(0, busy - accounted) / wallSeconds);
  cores.set("machine", busy / wallSeconds);
  return cores;
}
