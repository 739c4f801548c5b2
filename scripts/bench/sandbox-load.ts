/**
 * Sandbox load beside a benchmark: `concurrency` loops, each asking the app for a person's
 * test run (POST /api/sessions/:id/test-runs) back to back on a small Python project, so
 * sandboxes keep running in the app while streams are measured. Every run starts a fresh
 * Pyodide worker (docs/sandbox.md), the costliest thing a sandbox does.
 */
import { performance } from "node:perf_hooks";

const PROJECT: Array<[string, string]> = [
  ["calc.py", "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n"],
  [
    "tests/test_calc.py",
    "from calc import add, mul\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\n" +
      "def test_mul():\n    assert mul(2, 3) == 6\n\n\ndef test_sum_of_range():\n    assert sum(range(10_000)) == 49_995_000\n",
  ],
];

/** What the load did between start and stop. */
export interface SandboxLoadResult {
  /** test runs answered with 201 */
  runs: number;
  /** test runs that got another status or no answer; the first message is kept */
  failures: number;
  firstFailure: string | null;
  /** runs per second over the load's wall time */
  runsPerSecond: number;
}

export interface SandboxLoad {
  /** Stops asking for new runs, waits for those in flight and reports. */
  stop(): Promise<SandboxLoadResult>;
}

/** Creates the project session (multipart upload, as the home page's form sends it). */
async function createProject(appUrl: string, headers: Record<string, string>): Promise<{ id: string; leaf: string }> {
  const body = new FormData();
  body.set("task", "Sandbox load for the benchmark");
  for (const [path, content] of PROJECT) {
    body.append("file", new Blob([content]), path.split("/").pop());
    body.append("path", path);
  }
  const response = await fetch(`${appUrl}/api/sessions`, { method: "POST", body, headers });
  if (response.status !== 201) throw new Error(`sandbox load: creating its project: HTTP ${response.status}`);
  const { session } = (await response.json()) as { session: { id: string; activeLeafId: string } };
  return { id: session.id, leaf: session.activeLeafId };
}

/**
 * Starts `concurrency` loops of test runs against the app at `appUrl` (with `headers`,
 * e.g. authorization) and returns a handle to stop them. Resolves once the project exists
 * and a first (uncounted) run has made the app's Python snapshot.
 */
export async function startSandboxLoad(
  appUrl: string,
  concurrency: number,
  headers: Record<string, string> = {},
): Promise<SandboxLoad> {
  const project = await createProject(appUrl, headers);
  const testRun = async (): Promise<string | null> => {
    try {
      const response = await fetch(`${appUrl}/api/sessions/${project.id}/test-runs`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ afterStepId: project.leaf }),
      });
      await response.arrayBuffer();
      return response.status === 201 ? null : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  // One run first, not counted: the app's first Python run makes Pyodide's snapshot.
  const warmUp = await testRun();
  if (warmUp) throw new Error(`sandbox load: the first test run failed: ${warmUp}`);
  const started = performance.now();
  let stopping = false;
  const result = { runs: 0, failures: 0, firstFailure: null as string | null };
  const loop = async () => {
    while (!stopping) {
      const failure = await testRun();
      if (!failure) result.runs++;
      else {
        result.failures++;
        result.firstFailure ??= failure;
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    async stop() {
      stopping = true;
      await Promise.all(loops);
      const seconds = (performance.now() - started) / 1000;
      return { ...result, runsPerSecond: result.runs / seconds };
    },
  };
}
