/**
 * The sandbox against hostile code: infinite loops, deep recursion, memory bombs, huge
 * output, process/thread attempts, reading the host's environment, files and network, and
 * escapes through Pyodide's JS bridge or QuickJS's host functions. Each is stopped with a
 * clear result, nothing leaks into the next run, and this (host) process keeps serving.
 */
import { randomUUID } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTests, SandboxPool, type TestReport } from "./index";

const SECRET = `sandbox-secret-${randomUUID()}`;
const HOST_DIR = process.cwd();
const MiB = 1024 * 1024;

// maxRunning 4: the last test runs four hostile sandboxes at once
const pool = new SandboxPool({ warmWorkers: 2, maxRunning: 4, graceMs: 1000 });
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  process.env.SANDBOX_SAFETY_PROBE = SECRET;
  server = createServer((_, response) => response.end("ok"));
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  await pool.warmUp();
}, 120_000);

afterAll(async () => {
  delete process.env.SANDBOX_SAFETY_PROBE;
  await pool.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const statuses = (report: TestReport) => Object.fromEntries(report.tests.map((t) => [t.name, t.status]));
const failures = (report: TestReport) =>
  report.tests.filter((t) => t.status !== "pass").map((t) => `${t.name}: ${t.message}`);

describe("Python sandbox safety", { timeout: 60_000 }, () => {
  test("an infinite loop is stopped at the time limit; earlier results are kept", async () => {
    const report = await runTests(
      {
        files: { "test_loop.py": "def test_first():\n    pass\n\ndef test_spin():\n    while True:\n        pass\n" },
        limits: { timeMs: 1500 },
      },
      pool,
    );
    expect(report.outcome).toBe("timeout");
    expect(statuses(report)).toEqual({ test_first: "pass", test_spin: "error" });
    expect(report.tests[1]?.message).toMatch(/longer than its 1.5 s time limit while test_spin was running/);
  });

  test("a memory bomb is stopped at the memory limit", async () => {
    const report = await runTests(
      {
        files: {
          "test_mem.py":
            "def test_bomb():\n    blocks = []\n    while True:\n        blocks.append(bytearray(10**6))\n",
        },
        limits: { memoryBytes: 64 * MiB },
      },
      pool,
    );
    expect(report.outcome).toBe("memory");
    expect(report.outcomeMessage).toBe("Stopped: the code used more than the 64 MiB memory limit.");
    expect(report.tests[0]).toMatchObject({
      name: "test_bomb",
      status: "error",
      message: expect.stringMatching(/^MemoryError/),
    });
  });

  test("huge output is cut at the output limit and stops the run", async () => {
    const report = await runTests(
      {
        files: { "test_out.py": "def test_flood():\n    while True:\n        print('x' * 999)\n" },
        limits: { outputBytes: 64 * 1024 },
      },
      pool,
    );
    expect(report.outcome).toBe("output_limit");
    expect(report.stdout.truncated).toBe(true);
    expect(report.stdout.text.length).toBe(64 * 1024);
    expect(report.tests[0]).toMatchObject({ name: "test_flood", status: "error" });
  });

  test("processes, threads, host files, environment, network and the JS bridge are out of reach", async () => {
    const attack = `
import gc, importlib, os, socket, subprocess, sys, threading, types, urllib.request
import pytest

SECRET = ${JSON.stringify(SECRET)}
HOST_DIR = ${JSON.stringify(HOST_DIR)}
PORT = ${port}


def test_environment_is_the_sandbox_own():
    assert SECRET not in repr(dict(os.environ))
    assert set(os.environ) <= {"HOME", "LANG", "PATH"}
    assert HOST_DIR not in repr((sys.path, sys.argv, sys.executable, os.getcwd()))


@pytest.mark.parametrize("path", ["/etc/passwd", "/proc/self/environ", HOST_DIR + "/package.json", HOST_DIR + "/.env.example"])
def test_host_files(path):
    with pytest.raises(OSError):
        open(path).read()


def test_host_folders():
    assert not os.path.exists(HOST_DIR)
    assert "work" not in os.listdir("/")


def test_socket():
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", PORT), timeout=1)


def test_http():
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1)


def test_fork():
    with pytest.raises(OSError):
        os.fork()


def test_subprocess():
    with pytest.raises(OSError):
        subprocess.run(["cat", "/etc/passwd"])


def test_thread():
    with pytest.raises(RuntimeError):
        threading.Thread(target=print).start()


def test_deep_recursion():
    sys.setrecursionlimit(10**7)

    def down(n):
        return down(n + 1)

    with pytest.raises(RecursionError):
        down(0)


@pytest.mark.parametrize("name", ["js", "pyodide_js", "pyodide", "pyodide.ffi", "pyodide.http", "pyodide.code", "_pyodide_core", "ctypes", "micropip"])
def test_bridge_modules_do_not_import(name):
    with pytest.raises(ImportError):
        importlib.import_module(name)


def test_js_objects_reached_through_gc_lead_nowhere():
    # An attacker finds the FFI's C module through the garbage collector and makes JS objects;
    # from any of them, Function is the only way to the worker's globals, and it refuses.
    core = next(o for o in gc.get_objects() if isinstance(o, types.ModuleType) and o.__name__ == "_pyodide_core")
    js_array = core.to_js([1, 2])
    for constructor in (js_array.constructor.constructor, js_array.map.constructor):
        with pytest.raises(Exception, match="code generation from strings is disabled"):
            constructor("return process")()
    api = next((o for o in gc.get_objects() if type(o).__name__ == "JsProxy" and hasattr(o, "loadPackage")), None)
    if api is not None:
        assert list(api.FS.filesystems.object_keys()) == ["MEMFS"]
        with pytest.raises(Exception):
            api.loadPackage("/etc/passwd")
`;
    const report = await runTests({ files: { "test_attack.py": attack } }, pool);
    expect(report.outcome).toBe("completed");
    expect(failures(report)).toEqual([]);
    expect(report.counts.passed).toBe(22);
    expect(connections).toBe(0);
    expect(pool.networkAttempts).toBe(0);
  });

  test("recursion through C code ends in RecursionError or, if it exhausts the stack first, says so", async () => {
    const report = await runTests(
      {
        files: {
          "test_deep.py":
            "import sys\n\ndef test_first():\n    pass\n\ndef test_deep():\n    sys.setrecursionlimit(10**6)\n\n    def down(n):\n        return sorted([n], key=lambda x: down(n + 1))\n\n    down(0)\n",
        },
      },
      pool,
    );
    expect(statuses(report)).toEqual({ test_first: "pass", test_deep: "error" });
    // Which comes first depends on V8's stack use per WebAssembly frame (Node 20: the stack;
    // Node 24: Python's limit); either way the run ends at once with a clear result.
    const deep = report.tests[1]?.message ?? "";
    if (report.outcome === "completed") expect(deep).toMatch(/^RecursionError/);
    else {
      expect(report.outcome).toBe("error");
      expect(report.outcomeMessage).toMatch(/recursed too deeply and exhausted the interpreter's stack/);
      expect(deep).toBe(report.outcomeMessage);
    }
  });

  test("nothing of one run is left for the next", async () => {
    const leave = `
import builtins, os, sys

def test_leave_traces():
    builtins.LEFT_BEHIND = True
    os.environ["LEFT_BEHIND"] = "1"
    sys.modules["left_behind"] = sys
    with open("/tmp/left_behind.txt", "w") as f:
        f.write("x")
    with open("helper.py", "a") as f:
        f.write("CHANGED = True\\n")
`;
    const find = `
import builtins, os, sys
import helper

def test_no_traces():
    assert not hasattr(builtins, "LEFT_BEHIND")
    assert "LEFT_BEHIND" not in os.environ
    assert "left_behind" not in sys.modules
    assert not os.path.exists("/tmp/left_behind.txt")
    assert not hasattr(helper, "CHANGED")
`;
    const first = await runTests({ files: { "test_leave.py": leave, "helper.py": "" } }, pool);
    expect(failures(first)).toEqual([]);
    const second = await runTests({ files: { "test_find.py": find, "helper.py": "" } }, pool);
    expect(failures(second)).toEqual([]);
  });
});

describe("JavaScript sandbox safety", { timeout: 60_000 }, () => {
  test.each([
    ["an infinite loop", "while (true) {}"],
    ["a microtask flood", "const f = () => Promise.resolve().then(f); f(); await new Promise(() => {});"],
    ["a busy interval", "setInterval(() => {}, 1); await new Promise(() => {});"],
  ])("%s is stopped at the time limit; earlier results are kept", async (_, body) => {
    const report = await runTests(
      {
        files: { "loop.test.js": `test("first", () => {});\ntest("spin", async () => { ${body} });\n` },
        limits: { timeMs: 1500 },
      },
      pool,
    );
    expect(report.outcome).toBe("timeout");
    expect(statuses(report)).toEqual({ first: "pass", spin: "error" });
    expect(report.tests[1]?.message).toMatch(/longer than its 1.5 s time limit while spin was running/);
  });

  test("a memory bomb is stopped at the memory limit", async () => {
    const report = await runTests(
      {
        files: {
          "mem.test.js": "test('bomb', () => { const a = []; for (;;) a.push(new Array(1e5).fill(a.length)); });\n",
        },
        limits: { memoryBytes: 32 * MiB },
      },
      pool,
    );
    expect(report.outcome).toBe("memory");
    expect(report.tests[0]).toMatchObject({
      name: "bomb",
      status: "error",
      message: expect.stringMatching(/out of memory/),
    });
  });

  test("huge output is cut at the output limit and stops the run", async () => {
    const report = await runTests(
      {
        files: { "out.test.js": "test('flood', () => { for (;;) console.log('x'.repeat(999)); });\n" },
        limits: { outputBytes: 64 * 1024 },
      },
      pool,
    );
    expect(report.outcome).toBe("output_limit");
    expect(report.stdout).toMatchObject({ truncated: true });
    expect(report.stdout.text.length).toBe(64 * 1024);
  });

  test("Node, the host's globals and its modules are out of reach", async () => {
    const attack = `
import { expect, test } from "vitest";

test("no host globals", () => {
  for (const name of ["process", "require", "fetch", "Buffer", "WebAssembly", "__host", "__expectKit", "std", "os"]) {
    expect(typeof (globalThis as any)[name], name).toBe("undefined");
  }
});

test("the VM's own Function and eval reach only the VM", () => {
  const global = Function("return this")();
  expect(typeof global.process).toBe("undefined");
  expect((0, eval)("typeof process")).toBe("undefined");
  expect(console.log.constructor("return typeof require")()).toBe("undefined");
});

test.each(["fs", "node:fs", "child_process", "net", "http", "worker_threads", "${HOST_DIR}/package.json"])("require(%s) fails", (name) => {
  expect(() => require(name)).toThrow(/Cannot find module/);
});

test("dynamic import fails", async () => {
  await expect(import("node:fs")).rejects.toThrow(/Cannot find module/);
});

test("deep recursion is a catchable error", () => {
  const down = (n: number): number => down(n + 1);
  expect(() => down(0)).toThrow(/stack overflow|call stack/);
});

test("host functions hand back no host objects", () => {
  expect(console.log("%o", { toString: () => "x" })).toBeUndefined();
  expect(Object.getOwnPropertyNames(globalThis).filter((name) => name.includes("host"))).toEqual([]);
});

test("secret from the host's environment is nowhere", () => {
  expect(JSON.stringify(Object.getOwnPropertyNames(globalThis))).not.toContain(${JSON.stringify(SECRET)});
});
`;
    const report = await runTests({ files: { "attack.test.ts": attack } }, pool);
    expect(report.outcome).toBe("completed");
    expect(failures(report)).toEqual([]);
    expect(report.counts.passed).toBe(13);
    expect(pool.networkAttempts).toBe(0);
  });

  test("nothing of one run is left for the next", async () => {
    const first = await runTests(
      {
        files: {
          "leave.test.js":
            "test('leave', () => { globalThis.leftBehind = 1; Array.prototype.leftBehind = 1; Object.prototype.polluted = 1; });",
        },
      },
      pool,
    );
    expect(failures(first)).toEqual([]);
    const second = await runTests(
      {
        files: {
          "find.test.js":
            "test('find', () => { expect(globalThis.leftBehind).toBeUndefined(); expect([].leftBehind).toBeUndefined(); expect({}.polluted).toBeUndefined(); });",
        },
      },
      pool,
    );
    expect(failures(second)).toEqual([]);
  });
});

describe("the host while sandboxes misbehave", { timeout: 90_000 }, () => {
  test("keeps serving HTTP and timers (p99 delay reported)", async () => {
    const ping = async () => {
      const sent = performance.now();
      await new Promise<void>((resolve, reject) => {
        request({ host: "127.0.0.1", port, path: "/", agent: false }, (response) => {
          response.resume();
          response.on("end", resolve);
        })
          .on("error", reject)
          .end();
      });
      return performance.now() - sent;
    };
    const percentile = (values: number[], q: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    };
    // the same pings with no sandbox running, for comparison on a machine others share
    const baseline: number[] = [];
    for (const until = performance.now() + 1500; performance.now() < until; ) {
      baseline.push(await ping());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const busy = pool;
    const hostile = [
      runTests(
        { files: { "test_spin.py": "def test_spin():\n    while True:\n        pass\n" }, limits: { timeMs: 3000 } },
        busy,
      ),
      runTests(
        {
          files: {
            "test_mem.py": "def test_bomb():\n    b = []\n    while True:\n        b.append(bytearray(10**6))\n",
          },
          limits: { memoryBytes: 64 * MiB },
        },
        busy,
      ),
      runTests({ files: { "spin.test.js": "test('spin', () => { for (;;) {} });" }, limits: { timeMs: 3000 } }, busy),
      runTests({ files: { "out.test.js": "test('flood', () => { for (;;) console.log('y'.repeat(999)); });" } }, busy),
    ];
    let settled = false;
    const all = Promise.all(hostile).finally(() => {
      settled = true;
    });

    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const latencies: number[] = [];
    while (!settled) {
      latencies.push(await ping());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    loopDelay.disable();
    const reports = await all;

    const p99Delay = loopDelay.percentile(99) / 1e6;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      `host while 4 hostile sandboxes ran: ${latencies.length} HTTP requests, p50 ${ms(percentile(latencies, 0.5))}, p99 ${ms(percentile(latencies, 0.99))}; event-loop delay p99 ${ms(p99Delay)}, max ${ms(loopDelay.max / 1e6)} (no sandbox: p50 ${ms(percentile(baseline, 0.5))}, p99 ${ms(percentile(baseline, 0.99))})`,
    );
    expect(reports.map((r) => r.outcome)).toEqual(["timeout", "memory", "timeout", "output_limit"]);
    expect(latencies.length).toBeGreaterThan(20);
    // Sandboxes run on the main thread would block it for their 3 s limit. Bounds stay far
    // above the scheduling noise of a shared 2-core machine (p99 100–500 ms seen with no
    // sandbox at all when the machine was busy, p50 over 100 ms at load 15), and far below
    // a blocked loop. The figures themselves are printed above, and measured in bench:sandbox.
    expect(percentile(latencies, 0.5)).toBeLessThan(1000);
    expect(percentile(latencies, 0.99)).toBeLessThan(1500);
    expect(p99Delay).toBeLessThan(1500);
  });
});
