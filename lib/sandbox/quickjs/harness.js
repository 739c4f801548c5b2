/*
 * The test runner that runs INSIDE the QuickJS sandbox, after expect.js (the bundled
 * assertion library, which sets globalThis.__expectKit). It gives test files what vitest
 * and jest give them — describe/it/test, hooks, test.each, expect, vi/jest mocks, a
 * CommonJS require for the project's own files (transpiled by the host), console, and
 * timers on a virtual clock — and reports each test to the host through the only two host
 * functions the sandbox has: __host.write(stream, text) and __host.report(json).
 *
 * The host drives it: __registerModule(path, factory) for every project file,
 * __startRun(testFiles) → promise, then pumps QuickJS's job queue and calls
 * __advanceTimers() / __abortCurrentTest(message) when the queue runs dry.
 */
(() => {
  const host = globalThis.__host;
  const kit = globalThis.__expectKit;
  delete globalThis.__host;
  delete globalThis.__expectKit;

  const write = (stream, args) => host.write(stream, `${kit.format(...args)}\n`);
  globalThis.console = {
    log: (...args) => write("stdout", args),
    info: (...args) => write("stdout", args),
    debug: (...args) => write("stdout", args),
    trace: (...args) => write("stderr", args),
    warn: (...args) => write("stderr", args),
    error: (...args) => write("stderr", args),
    table: (...args) => write("stdout", args),
    dir: (...args) => write("stdout", args),
    assert: (condition, ...args) => {
      if (!condition) write("stderr", ["Assertion failed:", ...args]);
    },
  };

  // Timers on a virtual clock: a test that waits for setTimeout(fn, 5000) doesn't wait 5 s,
  // the host fires the next timer whenever no promise job is left to run.
  let clock = 0;
  let nextTimerId = 1;
  const timers = new Map();
  const addTimer = (fn, ms, args, repeat) => {
    if (typeof fn !== "function") throw new TypeError("the sandbox's timers take a function");
    const id = nextTimerId++;
    const delay = Math.max(0, Number(ms) || 0);
    timers.set(id, { fn, args, at: clock + delay, every: repeat ? Math.max(1, delay) : 0, order: id });
    return id;
  };
  globalThis.setTimeout = (fn, ms, ...args) => addTimer(fn, ms, args, false);
  globalThis.setInterval = (fn, ms, ...args) => addTimer(fn, ms, args, true);
  globalThis.setImmediate = (fn, ...args) => addTimer(fn, 0, args, false);
  globalThis.clearTimeout = (id) => timers.delete(id);
  globalThis.clearInterval = globalThis.clearTimeout;
  globalThis.clearImmediate = globalThis.clearTimeout;
  globalThis.queueMicrotask = (fn) => Promise.resolve().then(fn);
  const started = Date.now();
  globalThis.performance = { now: () => Date.now() - started + clock };
  globalThis.structuredClone ??= (value) => JSON.parse(JSON.stringify(value));

  /** Fires the earliest timer; false when there is none. */
  globalThis.__advanceTimers = () => {
    let next;
    for (const [id, timer] of timers) {
      if (!next || timer.at < next[1].at || (timer.at === next[1].at && timer.order < next[1].order)) {
        next = [id, timer];
      }
    }
    if (!next) return false;
    const [id, timer] = next;
    clock = Math.max(clock, timer.at);
    if (timer.every) {
      timer.at = clock + timer.every;
      timer.order = nextTimerId++;
    } else timers.delete(id);
    try {
      timer.fn(...timer.args);
    } catch (error) {
      reportUncaught(error);
    }
    return true;
  };

  // Modules: the host registers every project file as a CommonJS factory (sucrase turned
  // ESM imports into require calls); test-framework imports resolve to this harness.
  const factories = new Map();
  const cache = new Map();
  globalThis.__registerModule = (path, factory) => factories.set(path, factory);

  const dirname = (path) => path.split("/").slice(0, -1).join("/");
  const join = (base, relative) => {
    const parts = base ? base.split("/") : [];
    for (const part of relative.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") parts.pop();
      else parts.push(part);
    }
    return parts.join("/");
  };
  const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json"];
  const resolve = (from, request) => {
    const base = join(dirname(from), request);
    // TypeScript's ESM style imports "./x.js" meaning ./x.ts
    const stems = /\.[cm]?jsx?$/.test(base) ? [base, base.replace(/\.([cm]?)js(x?)$/, ".$1ts$2")] : [base];
    for (const stem of stems) {
      for (const extension of EXTENSIONS) if (factories.has(stem + extension)) return stem + extension;
      for (const extension of EXTENSIONS.slice(1)) {
        if (factories.has(`${stem}/index${extension}`)) return `${stem}/index${extension}`;
      }
    }
    return undefined;
  };

  const frameworkModule = () => api;
  const builtins = {
    vitest: frameworkModule,
    "@jest/globals": frameworkModule,
    "bun:test": frameworkModule,
    assert: () => nodeAssert,
    "node:assert": () => nodeAssert,
    "assert/strict": () => nodeAssert,
    "node:assert/strict": () => nodeAssert,
  };

  const requireFrom = (from) => (request) => {
    if (Object.hasOwn(builtins, request)) return builtins[request]();
    if (!request.startsWith(".") && !request.startsWith("/")) {
      throw new Error(
        `Cannot find module '${request}': the sandbox runs only the project's own files (no npm packages); tests can import from "vitest", "@jest/globals" and "node:assert"`,
      );
    }
    const path = resolve(from, request.startsWith("/") ? `.${request}` : request);
    if (!path) throw new Error(`Cannot find module '${request}' from ${from}`);
    const cached = cache.get(path);
    if (cached) return cached.exports;
    const module = { exports: {}, id: path, filename: path, loaded: false };
    cache.set(path, module);
    factories.get(path)(module.exports, requireFrom(path), module, path, dirname(path));
    module.loaded = true;
    return module.exports;
  };

  // node:assert through chai's assert (the bundled library), with node's strict names.
  const chaiAssert = kit.assert;
  const nodeAssert = Object.assign((value, message) => chaiAssert.ok(value, message), chaiAssert, {
    strictEqual: chaiAssert.strictEqual,
    deepStrictEqual: chaiAssert.deepEqual,
    notDeepStrictEqual: chaiAssert.notDeepEqual,
    equal: chaiAssert.strictEqual,
    deepEqual: chaiAssert.deepEqual,
    throws: (fn, expected, message) =>
      expected === undefined || typeof expected === "string"
        ? chaiAssert.throws(fn, undefined, undefined, expected ?? message)
        : chaiAssert.throws(fn, expected, undefined, message),
    rejects: async (promiseOrFn, expected) => {
      try {
        await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
      } catch (error) {
        if (typeof expected === "function" && expected.prototype && !(error instanceof expected)) throw error;
        return;
      }
      chaiAssert.fail("Missing expected rejection.");
    },
  });
  nodeAssert.strict = nodeAssert;

  // Collection: describe() runs its body at once and records tests and hooks in a tree.
  const newSuite = (name, parent, mode) => ({
    name,
    parent,
    mode,
    children: [],
    beforeAll: [],
    afterAll: [],
    beforeEach: [],
    afterEach: [],
  });
  let currentFile = "";
  let currentSuite;
  let fileHasOnly = false;

  const formatName = (template, args, index) => {
    let name = String(template);
    const values = Array.isArray(args) ? args : [args];
    if (!Array.isArray(args) && args && typeof args === "object") {
      name = name.replace(/\$([\w.]+)/g, (match, key) => {
        const value = key.split(".").reduce((object, part) => object?.[part], args);
        return value === undefined ? match : kit.format("%o", value);
      });
    }
    let position = 0;
    name = name.replace(/%([sdifjoOpc#%])/g, (match, flag) => {
      if (flag === "%") return "%";
      if (flag === "#") return String(index);
      if (position >= values.length) return match;
      const value = values[position++];
      if (flag === "d" || flag === "i") return String(flag === "i" ? Math.trunc(Number(value)) : Number(value));
      if (flag === "f") return String(Number(value));
      if (flag === "s") return typeof value === "string" ? value : kit.format("%o", value);
      if (flag === "j") return JSON.stringify(value);
      return kit.format("%o", value);
    });
    return name;
  };

  const addTest = (name, fn, mode) => {
    if (!currentSuite) throw new Error("test() called outside a test file");
    if (mode === "only") fileHasOnly = true;
    currentSuite.children.push({ kind: "test", name: String(name), fn, mode, file: currentFile });
  };
  const addSuite = (name, body, mode) => {
    if (mode === "only") fileHasOnly = true;
    const suite = newSuite(String(name), currentSuite, mode);
    currentSuite.children.push({ kind: "suite", suite });
    const previous = currentSuite;
    currentSuite = suite;
    try {
      if (typeof body === "function") body();
    } finally {
      currentSuite = previous;
    }
  };

  const withEach = (register) => (table) => {
    const rows = Array.isArray(table) ? table : [];
    return (template, fn) => {
      rows.forEach((row, index) => {
        const args = Array.isArray(row) ? row : [row];
        register(formatName(template, Array.isArray(row) ? row : row, index), () => fn(...args));
      });
    };
  };

  const makeTest = () => {
    const test = (name, fn) => addTest(name, fn, "run");
    test.only = (name, fn) => addTest(name, fn, "only");
    test.skip = (name, fn) => addTest(name, fn, "skip");
    test.todo = (name) => addTest(name, undefined, "todo");
    test.fails = (name, fn) => addTest(name, fn, "fails");
    test.concurrent = test;
    test.skipIf = (condition) => (condition ? test.skip : test);
    test.runIf = (condition) => (condition ? test : test.skip);
    test.each = withEach(test);
    test.only.each = withEach(test.only);
    test.skip.each = withEach(test.skip);
    test.for = (table) => (template, fn) => {
      table.forEach((row, index) => {
        addTest(formatName(template, row, index), () => fn(row, {}), "run");
      });
    };
    return test;
  };
  const makeDescribe = () => {
    const describe = (name, body) => addSuite(name, body, "run");
    describe.only = (name, body) => addSuite(name, body, "only");
    describe.skip = (name, body) => addSuite(name, body, "skip");
    describe.todo = (name) => addSuite(name, undefined, "skip");
    describe.concurrent = describe;
    describe.skipIf = (condition) => (condition ? describe.skip : describe);
    describe.runIf = (condition) => (condition ? describe : describe.skip);
    describe.each = withEach(describe);
    return describe;
  };

  const hook = (kind) => (fn) => {
    if (!currentSuite) throw new Error(`${kind}() called outside a test file`);
    currentSuite[kind].push(fn);
  };

  const expect = kit.createExpect();
  const mocks = {
    fn: kit.fn,
    spyOn: kit.spyOn,
    isMockFunction: kit.isMockFunction,
    clearAllMocks: kit.clearAllMocks,
    resetAllMocks: kit.resetAllMocks,
    restoreAllMocks: kit.restoreAllMocks,
    useFakeTimers: () => mocks,
    useRealTimers: () => mocks,
    advanceTimersByTime: (ms) => {
      const until = clock + ms;
      for (;;) {
        let due;
        for (const timer of timers.values()) if (timer.at <= until && (!due || timer.at < due.at)) due = timer;
        if (!due) break;
        globalThis.__advanceTimers();
      }
      clock = until;
      return mocks;
    },
    runAllTimers: () => {
      for (let fired = 0; fired < 10_000 && globalThis.__advanceTimers(); fired++);
      return mocks;
    },
    runOnlyPendingTimers: () => mocks.runAllTimers(),
    mock: (path) => {
      throw new Error(
        `vi.mock('${path}') / jest.mock(): module mocking is not supported in the sandbox; pass test doubles in (vi.fn(), vi.spyOn()) instead`,
      );
    },
  };
  const test = makeTest();
  const api = {
    describe: makeDescribe(),
    suite: makeDescribe(),
    it: test,
    test,
    expect,
    assert: chaiAssert,
    beforeAll: hook("beforeAll"),
    afterAll: hook("afterAll"),
    beforeEach: hook("beforeEach"),
    afterEach: hook("afterEach"),
    vi: mocks,
    jest: mocks,
  };
  api.default = api;
  Object.assign(globalThis, api);

  // Running: one test at a time, hooks outer to inner (afterEach inner to outer).
  let abortCurrent;
  /** The host calls this when the job queue is empty, no timer is left and a test still waits. */
  globalThis.__abortCurrentTest = (message) => abortCurrent?.(new Error(message));

  const callWithDone = (fn) => {
    if (fn.length === 0) return fn();
    return new Promise((resolve, reject) => {
      const done = (error) => (error ? reject(error) : resolve());
      done.fail = (message) => reject(new Error(message));
      fn(done);
    });
  };
  const runGuarded = (fn) =>
    new Promise((resolve, reject) => {
      abortCurrent = reject;
      Promise.resolve()
        .then(() => callWithDone(fn))
        .then(resolve, reject);
    }).finally(() => {
      abortCurrent = undefined;
    });

  const describeError = (error, files) => {
    if (!(error instanceof Error)) return `thrown value: ${kit.format("%o", error)}`;
    let processed = error;
    try {
      processed = kit.processError(error);
    } catch {}
    const head = `${error.name ?? "Error"}: ${processed.message ?? error.message}`;
    const lines = [head];
    if (processed.diff) lines.push("", processed.diff);
    const stack = String(error.stack ?? "")
      .split("\n")
      .filter((line) => files.some((file) => line.includes(`(${file}:`)))
      .slice(0, 4)
      .map((line) => line.trim());
    if (stack.length > 0) lines.push("", ...stack);
    return lines.join("\n");
  };

  let projectFiles = [];
  const report = (event) => host.report(JSON.stringify(event));
  let uncaught;
  const reportUncaught = (error) => {
    uncaught ??= error;
  };

  // QuickJS throws this when the host stops the run (time or output limit): stop everything,
  // so the host reports the running test with the limit's message.
  const isInterrupt = (error) => error instanceof InternalError && error.message === "interrupted";
  const isAssertion = (error) =>
    error instanceof Error && (error.name === "AssertionError" || error.name === "JestAssertionError");

  const runTest = async (entry, names, suites, skipped) => {
    const name = [...names, entry.name].join(" > ");
    const file = entry.file;
    if (skipped || entry.mode === "skip" || entry.mode === "todo" || (fileHasOnly && !entry.onlyPath)) {
      report({
        type: "test_end",
        name,
        file,
        status: "skip",
        ...(entry.mode === "todo" ? { message: "todo" } : {}),
        durationMs: 0,
      });
      return;
    }
    report({ type: "test_start", name, file });
    const begin = Date.now();
    expect.setState({
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
      currentTestName: name,
    });
    uncaught = undefined;
    let failure;
    try {
      for (const suite of suites) for (const fn of suite.beforeEach) await runGuarded(fn);
      await runGuarded(entry.fn);
      const state = expect.getState();
      if (state.expectedAssertionsNumber !== null && state.assertionCalls !== state.expectedAssertionsNumber) {
        throw state.expectedAssertionsNumberErrorGen();
      }
      if (state.isExpectingAssertions && state.assertionCalls === 0) throw state.isExpectingAssertionsError;
      if (uncaught) throw uncaught;
    } catch (error) {
      if (isInterrupt(error)) throw error;
      failure = error;
    }
    for (const suite of [...suites].reverse()) {
      for (const fn of suite.afterEach) {
        try {
          await runGuarded(fn);
        } catch (error) {
          failure ??= error;
        }
      }
    }
    const durationMs = Date.now() - begin;
    if (entry.mode === "fails") {
      report(
        failure
          ? { type: "test_end", name, file, status: "pass", durationMs }
          : {
              type: "test_end",
              name,
              file,
              status: "fail",
              message: "expected this test to fail (test.fails)",
              durationMs,
            },
      );
      return;
    }
    if (!failure) {
      report({ type: "test_end", name, file, status: "pass", durationMs });
      return;
    }
    report({
      type: "test_end",
      name,
      file,
      status: isAssertion(failure) ? "fail" : "error",
      message: describeError(failure, projectFiles),
      durationMs,
    });
  };

  /** Marks tests on the path of an .only so that only they run when a file has one. */
  const markOnly = (suite, inOnly) => {
    let any = false;
    for (const child of suite.children) {
      if (child.kind === "test") {
        child.onlyPath = inOnly || child.mode === "only";
        any ||= child.onlyPath;
      } else any = markOnly(child.suite, inOnly || child.suite.mode === "only") || any;
    }
    return any;
  };

  const runSuite = async (suite, names, suites, skipped) => {
    const path = [...suites, suite];
    const skip = skipped || suite.mode === "skip";
    let setupError;
    if (!skip) {
      try {
        for (const fn of suite.beforeAll) await runGuarded(fn);
      } catch (error) {
        setupError = error;
      }
    }
    for (const child of suite.children) {
      if (child.kind === "test") {
        if (setupError) {
          report({
            type: "test_end",
            name: [...names, child.name].join(" > "),
            file: child.file,
            status: "error",
            message: `beforeAll failed: ${describeError(setupError, projectFiles)}`,
            durationMs: 0,
          });
        } else await runTest(child, names, path, skip);
      } else await runSuite(child.suite, [...names, child.suite.name], path, skip);
    }
    if (!skip) {
      for (const fn of suite.afterAll) {
        try {
          await runGuarded(fn);
        } catch (error) {
          report({
            type: "collect_error",
            file: currentFile,
            message: `afterAll failed: ${describeError(error, projectFiles)}`,
          });
        }
      }
    }
  };

  globalThis.__startRun = async (testFiles, allFiles) => {
    projectFiles = allFiles;
    for (const file of testFiles) {
      currentFile = file;
      fileHasOnly = false;
      const root = newSuite("", undefined, "run");
      currentSuite = root;
      try {
        requireFrom("")(`./${file}`);
      } catch (error) {
        report({ type: "collect_error", file, message: describeError(error, projectFiles) });
        continue;
      } finally {
        currentSuite = root;
      }
      if (fileHasOnly) markOnly(root, false);
      await runSuite(root, [], [], false);
      currentSuite = undefined;
      kit.restoreAllMocks();
    }
  };
})();
