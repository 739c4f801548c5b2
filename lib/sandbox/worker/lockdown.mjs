/**
 * Hardens a sandbox worker's own JavaScript realm before untrusted code runs in it.
 *
 * Python code can reach JavaScript objects through Pyodide's FFI however its imports are
 * blocked (gc.get_objects(), pyodide.ffi.to_js, a PyProxy's methods), so the boundary
 * that holds is this realm itself: nothing in it may lead to the host. The worker is used
 * for one run and then terminated, so breaking its globals costs nothing.
 *
 * - No code from strings: eval, Function and the async/generator function constructors
 *   throw, so `obj.constructor.constructor("return process")()` and dynamic import() from
 *   generated code are gone (the classic escapes from a JS bridge).
 * - No host capabilities on the global object: process (env, exit, bindings), fetch and
 *   the other network globals, Buffer, messaging. (crypto stays: Emscripten's getrandom
 *   reads crypto.getRandomValues, and it reveals nothing of the host.)
 * - WebAssembly memory may not grow past the sandbox's cap (`capMemory`).
 */

const CODE_FROM_STRINGS = "code generation from strings is disabled in the sandbox";

const HOST_GLOBALS = [
  "process",
  "require",
  "module",
  "exports",
  "global",
  "Buffer",
  "fetch",
  "Request",
  "Response",
  "Headers",
  "FormData",
  "WebSocket",
  "EventSource",
  "XMLHttpRequest",
  "BroadcastChannel",
  "MessageChannel",
  "MessagePort",
  "Worker",
  "navigator",
  "caches",
  "localStorage",
  "sessionStorage",
];

/** Removes the host's globals and code-from-strings from this realm. Call once, last. */
export function lockDownRealm() {
  const refuse = function refused() {
    throw new EvalError(CODE_FROM_STRINGS);
  };
  // Code that reads Function.prototype.apply through the global (Pyodide does) keeps working.
  Object.defineProperty(refuse, "prototype", { value: Function.prototype, writable: false });
  Object.freeze(refuse);
  const constructors = [
    Function,
    Object.getPrototypeOf(async () => {}).constructor,
    Object.getPrototypeOf(function* () {}).constructor,
    Object.getPrototypeOf(async function* () {}).constructor,
  ];
  for (const codeFromStrings of constructors) {
    Object.defineProperty(codeFromStrings.prototype, "constructor", {
      value: refuse,
      writable: false,
      configurable: false,
    });
  }
  // Some are lazy accessors (fetch, WebSocket…: undici); redefining one in place makes
  // Node 24 load undici, which needs the Buffer removed a moment before. Deleting first
  // loads nothing (0.7 ms instead of 50–120 ms of undici per worker).
  for (const name of HOST_GLOBALS) Reflect.deleteProperty(globalThis, name);
  for (const name of HOST_GLOBALS) {
    Object.defineProperty(globalThis, name, { value: undefined, writable: false, configurable: false });
  }
  for (const name of ["eval", "Function"]) {
    Object.defineProperty(globalThis, name, { value: refuse, writable: false, configurable: false });
  }
}

/**
 * Caps every WebAssembly memory of this realm at `maxBytes`: Emscripten grows its heap
 * through Memory.prototype.grow, so a refused grow is a failed malloc inside the
 * interpreter (Python: MemoryError; QuickJS has its own limit below this one).
 * `onRefused` is told once per refusal.
 */
export function capMemory(limit) {
  const grow = WebAssembly.Memory.prototype.grow;
  Object.defineProperty(WebAssembly.Memory.prototype, "grow", {
    value: function cappedGrow(pages) {
      const next = this.buffer.byteLength + pages * 65_536;
      if (next > limit.maxBytes) {
        limit.onRefused?.(next);
        throw new RangeError(`WebAssembly.Memory.grow(): the sandbox's memory limit is ${limit.maxBytes} bytes`);
      }
      return grow.call(this, pages);
    },
    writable: false,
    configurable: false,
  });
}
