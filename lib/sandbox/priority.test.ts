import { readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, test } from "vitest";
import { SandboxPool } from "./pool";

const linux = process.platform === "linux";

/** The niceness of each thread of this process, from /proc (field 19 of a thread's stat line). */
function threadNiceness(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // the command name (field 2) may hold spaces; fields after it start past its ")"
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[16]);
  });
}

describe.runIf(linux)("sandbox worker threads run at a lower CPU priority", () => {
  const pool = new SandboxPool({ warmWorkers: 1, nice: 12 });
  afterAll(() => pool.close());

  test("warm workers are niced and the app's own threads are not", async () => {
    const before = threadNiceness().filter((nice) => nice === 12).length;
    await pool.warmUp(["javascript"]);
    const after = threadNiceness();
    expect(after.filter((nice) => nice === 12).length).toBeGreaterThan(before);
    expect(after.filter((nice) => nice === 0).length).toBeGreaterThan(0);
  });

  test("a niced worker still runs tests", async () => {
    const record = await pool.run({
      language: "typescript",
      files: { "sum.test.ts": 'import { expect, test } from "vitest";\ntest("adds", () => expect(1 + 1).toBe(2));' },
      testFiles: ["sum.test.ts"],
      limits: { timeMs: 5000, memoryBytes: 64 * 1024 * 1024, outputBytes: 64 * 1024 },
    });
    expect(record.outcome).toBe("completed");
  });
});
