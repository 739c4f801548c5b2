import { describe, expect, test } from "vitest";
import { parseEnv } from "../env";
import { limitsFromEnv, resolveLimits, runTests, type SandboxPool } from "./index";
import { DEFAULT_LIMITS } from "./types";

describe("limits", () => {
  test("the env defaults are DEFAULT_LIMITS; the variables set them in ms, MiB and KiB", () => {
    expect(limitsFromEnv(parseEnv({}))).toEqual(DEFAULT_LIMITS);
    expect(
      limitsFromEnv(
        parseEnv({ SANDBOX_TIME_LIMIT_MS: "2500", SANDBOX_MEMORY_MB: "64", SANDBOX_OUTPUT_LIMIT_KB: "16" }),
      ),
    ).toEqual({ timeMs: 2500, memoryBytes: 64 * 1024 * 1024, outputBytes: 16 * 1024 });
  });

  test("a run's own limits replace the configured ones, clamped to sane bounds", () => {
    expect(resolveLimits({ timeMs: 1500.4 }, DEFAULT_LIMITS)).toEqual({ ...DEFAULT_LIMITS, timeMs: 1500 });
    expect(resolveLimits({ timeMs: 1, memoryBytes: 1, outputBytes: 1 }, DEFAULT_LIMITS)).toEqual({
      timeMs: 100,
      memoryBytes: 32 * 1024 * 1024,
      outputBytes: 1024,
    });
    expect(resolveLimits({ timeMs: Number.NaN, memoryBytes: 1e15 }, DEFAULT_LIMITS)).toEqual({
      ...DEFAULT_LIMITS,
      memoryBytes: 4096 * 1024 * 1024,
    });
  });
});

describe("runTests without a runnable selection", () => {
  const unusedPool = {
    run: () => {
      throw new Error("the pool must not be asked");
    },
  } as unknown as SandboxPool;

  test("reports what is wrong instead of starting a sandbox", async () => {
    const report = await runTests({ files: { "calc.py": "def add(a, b): ..." }, limits: DEFAULT_LIMITS }, unusedPool);
    expect(report).toMatchObject({
      language: "python",
      outcome: "error",
      outcomeMessage: expect.stringMatching(/^Nothing ran: no test files found: name Python tests test_\*\.py/),
      tests: [],
      counts: { total: 0 },
    });
  });

  test("a path outside the project is refused", async () => {
    const report = await runTests(
      { files: { "a.test.ts": "" }, paths: ["../../etc/passwd"], limits: DEFAULT_LIMITS },
      unusedPool,
    );
    expect(report).toMatchObject({ language: "typescript", outcome: "error" });
    expect(report.outcomeMessage).toMatch(/outside the project/);
  });
});
