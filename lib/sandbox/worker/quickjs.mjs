/**
 * JavaScript and TypeScript in a sandbox worker: QuickJS compiled to WebAssembly
 * (quickjs-emscripten), a separate interpreter whose code can touch nothing of Node's: its
 * only ways out are the two host functions given to it here (write output, report a test
 * event), which take strings and return nothing.
 *
 * TypeScript and ES modules are turned into CommonJS by sucrase before they enter the VM;
 * harness.js (the test API) and the bundled assertion library are evaluated at warm-up.
 */

import variant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import { transform } from "sucrase";

/** QuickJS's own heap limit sits inside the WASM memory; the WASM cap leaves room for the rest. */
const WASM_OVERHEAD_BYTES = 64 * 1024 * 1024;
const STACK_BYTES = 1024 * 1024;
const SCRIPT = /\.[cm]?[jt]sx?$/;
const TYPESCRIPT = /\.[cm]?tsx?$/;
const JSX = /x$/;

/** A project file as CommonJS source, or the error sucrase found in it. */
function toCommonJs(path, content) {
  if (path.endsWith(".json")) return { code: `module.exports = ${content};` };
  const transforms = ["imports"];
  if (TYPESCRIPT.test(path)) transforms.unshift("typescript");
  if (JSX.test(path)) transforms.unshift("jsx");
  try {
    return { code: transform(content, { transforms, filePath: path, production: true }).code };
  } catch (error) {
    return { error: `SyntaxError: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function prepare({ sources, stopFlag, output, reportEvent, reportMemory }) {
  const quickjs = await newQuickJSWASMModuleFromVariant(variant);
  const runtime = quickjs.newRuntime();
  runtime.setMaxStackSize(STACK_BYTES);
  const context = runtime.newContext();

  const host = context.newObject();
  const write = context.newFunction("write", (stream, text) => {
    output.write(context.getString(stream) === "stderr" ? "stderr" : "stdout", context.getString(text));
  });
  const report = context.newFunction("report", (json) => {
    const event = JSON.parse(context.getString(json));
    if (event.type === "test_end" && event.status === "error" && /out of memory/.test(event.message ?? "")) {
      reportMemory();
    }
    reportEvent(event);
  });
  context.setProp(host, "write", write);
  context.setProp(host, "report", report);
  context.setProp(context.global, "__host", host);
  for (const handle of [write, report, host]) handle.dispose();

  const evaluate = (code, filename) => {
    const result = context.evalCode(code, filename);
    if (result.error) {
      const error = context.dump(result.error);
      result.error.dispose();
      throw new Error(`${filename}: ${error?.message ?? JSON.stringify(error)}`);
    }
    result.value.dispose();
  };
  evaluate(sources.expect, "expect.js");
  evaluate(sources.harness, "harness.js");
  // Compile sucrase's code paths now rather than in the run: this worker is fresh, its JIT cold.
  toCommonJs("warm-up.test.ts", 'import { test } from "vitest";\nexport const f = (x: number): number => x;\n');
  const stopped = () => Atomics.load(stopFlag, 0) !== 0;
  runtime.setInterruptHandler(stopped);

  const call = (name, ...args) => {
    const fn = context.getProp(context.global, name);
    const handles = args.map((arg) => (typeof arg === "string" ? context.newString(arg) : context.newNumber(arg)));
    const result = context.callFunction(fn, context.undefined, ...handles);
    fn.dispose();
    for (const handle of handles) handle.dispose();
    return result;
  };

  return {
    memoryCap: (limitBytes) => limitBytes + WASM_OVERHEAD_BYTES,
    memoryBytes: () => quickjs.getWasmMemory().buffer.byteLength,
    async run(job) {
      runtime.setMemoryLimit(job.limits.memoryBytes);
      const paths = Object.keys(job.files).filter((path) => SCRIPT.test(path) || path.endsWith(".json"));
      for (const path of paths) {
        const converted = toCommonJs(path, job.files[path]);
        const body = converted.error ? `throw new SyntaxError(${JSON.stringify(converted.error)});` : converted.code;
        // The wrapper starts on the file's first line, so QuickJS's line numbers are the file's.
        const code = `__registerModule(${JSON.stringify(path)}, function (exports, require, module, __filename, __dirname) {${body}\n});`;
        const result = context.evalCode(code, path);
        if (result.error) {
          const error = context.dump(result.error);
          result.error.dispose();
          const message = `${error?.name ?? "Error"}: ${error?.message ?? String(error)}`;
          evaluate(
            `__registerModule(${JSON.stringify(path)}, function () { throw new SyntaxError(${JSON.stringify(message)}); });`,
            "harness.js",
          );
        } else result.value.dispose();
      }

      const promise = context.unwrapResult(
        context.evalCode(`__startRun(${JSON.stringify(job.testFiles)}, ${JSON.stringify(paths)})`, "harness.js"),
      );
      for (;;) {
        if (stopped()) return;
        const jobs = runtime.executePendingJobs();
        if (jobs.error) {
          const error = context.dump(jobs.error);
          jobs.error.dispose();
          if (stopped()) return;
          throw new Error(`the test runner failed: ${error?.message ?? JSON.stringify(error)}`);
        }
        const state = context.getPromiseState(promise);
        if (state.type !== "pending") {
          if (state.type === "rejected") {
            const error = context.dump(state.error);
            state.error.dispose();
            throw new Error(`the test runner failed: ${error?.message ?? JSON.stringify(error)}`);
          }
          state.value?.dispose();
          promise.dispose();
          return;
        }
        if (jobs.value > 0) continue;
        const fired = call("__advanceTimers");
        const advanced = fired.value ? context.dump(fired.value) : false;
        fired.value?.dispose();
        fired.error?.dispose();
        if (advanced) continue;
        const aborted = call(
          "__abortCurrentTest",
          "the test is waiting for a promise that never settles (nothing left to run and no timer pending)",
        );
        aborted.value?.dispose();
        aborted.error?.dispose();
        if (runtime.executePendingJobs().value === 0 && context.getPromiseState(promise).type === "pending") {
          throw new Error("the test run is waiting for a promise that never settles");
        }
      }
    },
  };
}
