/**
 * Python in a sandbox worker: Pyodide (CPython compiled to WebAssembly), standard library
 * only, everything loaded from node_modules/pyodide.
 *
 * A fresh interpreter per run, from a memory snapshot made once per process by a worker
 * that imported the test runner and ran nothing else (`makeSnapshot`): loading from the
 * snapshot skips Python's start-up, and nothing of an earlier run can be in it.
 *
 * What Python can reach: an in-memory file system holding the project's files under
 * /project; os.environ with HOME, LANG and PATH only; a `js` module that is an empty
 * frozen object. The `js`, `pyodide_js`, `pyodide`, `_pyodide_core` and `ctypes` modules
 * are removed and blocked for import; sockets fail with EACCES at Emscripten's SOCKFS;
 * Pyodide's host-file and network entry points (NODEFS, mountNodeFS, loadPackage,
 * loadBinaryFile, Node sockets) are removed. Python can still obtain JavaScript objects
 * through the FFI's internals, which is why lockdown.mjs makes the realm itself harmless.
 */
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

/** Pyodide finds its files from its stack trace unless told; source maps (tsx, vitest) mislead that. */
const INDEX_URL = fileURLToPath(new URL(".", import.meta.resolve("pyodide")));
const PROJECT = "/project";
const RUNNER_DIR = "/lib/sandbox";
/** the `js` module's global object: nothing */
const JS_GLOBALS = Object.freeze(Object.create(null));
const ENV = { HOME: "/home/user", LANG: "C.UTF-8", PATH: "/usr/bin:/bin" };

/** Modules a test run is likely to need, imported before the snapshot so a run doesn't pay for them. */
const PRELOAD = [
  "sandbox_runner",
  "pytest",
  "unittest",
  "asyncio",
  "collections",
  "dataclasses",
  "decimal",
  "fractions",
  "functools",
  "heapq",
  "itertools",
  "json",
  "math",
  "random",
  "re",
  "string",
  "typing",
  "bisect",
  "copy",
  "datetime",
  "difflib",
  "pathlib",
  "statistics",
];

function writeRunner(py, sources) {
  py.FS.mkdirTree(RUNNER_DIR);
  py.FS.writeFile(`${RUNNER_DIR}/sandbox_runner.py`, sources.runner);
  py.FS.writeFile(`${RUNNER_DIR}/pytest.py`, sources.pytest);
}

/** Loads Pyodide from scratch, imports the runner and common modules, and returns the memory snapshot. */
export async function makeSnapshot(sources) {
  const py = await loadPyodide({
    indexURL: INDEX_URL,
    jsglobals: JS_GLOBALS,
    env: ENV,
    _makeSnapshot: true,
    stdout: () => {},
  });
  writeRunner(py, sources);
  py.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(RUNNER_DIR)})
${PRELOAD.map((name) => `import ${name}`).join("\n")}
`);
  return py.makeMemorySnapshot();
}

const HARDEN_PYTHON = `
import os, sys
_BLOCKED = {"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "micropip", "pyodide_http", "ctypes", "_ctypes"}
for _name in list(sys.modules):
    if _name.split(".")[0] in _BLOCKED:
        del sys.modules[_name]

class _SandboxImportBlocker:
    """Refuses the modules that bridge to JavaScript, with a message saying why."""

    blocked = frozenset(_BLOCKED)

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.split(".")[0] in cls.blocked:
            raise ImportError(f"module {name!r} is not available in the sandbox (no JavaScript bridge, no native code)")
        return None

sys.meta_path.insert(0, _SandboxImportBlocker)
for _key in list(os.environ):
    if _key not in ${JSON.stringify(Object.keys(ENV))}:
        del os.environ[_key]
# Unwinding a RecursionError from far deeper than 50 000 frames overflows the worker's stack
# (16 MiB), which kills the interpreter; capped, sys.setrecursionlimit(10**7) still works
# for any test that needs deep recursion and ends in a RecursionError for an infinite one.
def _capped_setrecursionlimit(limit, _set=sys.setrecursionlimit):
    _set(min(int(limit), 50_000))

sys.setrecursionlimit = _capped_setrecursionlimit
sys.executable = "/usr/bin/python3"
sys.argv = ["pytest"]
sys.orig_argv = ["python3", "-m", "pytest"]
del _name, _key, _SandboxImportBlocker, _BLOCKED, _capped_setrecursionlimit
`;

/** Removes Pyodide's ways out to the host: host file systems, package loading, Node sockets. */
function disarm(py) {
  const module = py._module;
  const refuse = (what) => () => {
    throw new Error(`${what} is not available in the sandbox`);
  };
  const { FS } = module;
  for (const name of Object.keys(FS.filesystems)) {
    if (name !== "MEMFS") delete FS.filesystems[name];
  }
  const socketRefused = () => {
    throw new FS.ErrnoError(module.ERRNO_CODES?.EACCES ?? 2);
  };
  if (module.SOCKFS) module.SOCKFS.createSocket = socketRefused;
  for (const name of ["mountNodeFS", "mountNativeFS", "useNodeSockFS", "loadPackage", "loadPackagesFromImports"]) {
    py[name] = refuse(name);
  }
  const api = py._api;
  for (const name of ["loadBinaryFile", "initializeNodeSockFS", "loadDynlib", "loadPackage", "install"]) {
    if (api && name in api) api[name] = refuse(name);
  }
  if (api) api._nodeSock = undefined;
}

export async function prepare({ snapshot, sources, stopFlag, output, reportEvent }) {
  const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const py = await loadPyodide({
    indexURL: INDEX_URL,
    jsglobals: JS_GLOBALS,
    env: ENV,
    _loadSnapshot: new Uint8Array(snapshot),
    stdin: () => null,
  });
  for (const stream of ["stdout", "stderr"]) {
    const set = stream === "stdout" ? py.setStdout : py.setStderr;
    set.call(py, {
      write: (bytes) => {
        output.write(stream, decoder[stream].decode(bytes, { stream: true }));
        return bytes.length;
      },
    });
  }
  py.setStdin({ error: true });
  py.setInterruptBuffer(stopFlag);
  writeRunner(py, sources);
  const runTests = py.pyimport("sandbox_runner").run;
  const flush = py.runPython("import sys\nlambda: (sys.stdout.flush(), sys.stderr.flush())");
  py.runPython(HARDEN_PYTHON);
  disarm(py);

  const report = (json) => reportEvent(JSON.parse(json));
  return {
    /** The WASM heap is the interpreter's memory: cap it at the limit itself. */
    memoryCap: (limitBytes) => limitBytes,
    /** WASM memory never shrinks, so its size after the run is the run's peak. */
    memoryBytes: () => py._module.HEAP8.buffer.byteLength,
    async run(job) {
      py.FS.mkdirTree(PROJECT);
      for (const [path, content] of Object.entries(job.files)) {
        const slash = path.lastIndexOf("/");
        if (slash > 0) py.FS.mkdirTree(`${PROJECT}/${path.slice(0, slash)}`);
        py.FS.writeFile(`${PROJECT}/${path}`, content);
      }
      try {
        runTests(job.testFiles, report);
      } finally {
        try {
          flush();
        } catch {
          // an interrupted or broken interpreter may fail to flush; the output so far is kept
        }
      }
    },
  };
}
