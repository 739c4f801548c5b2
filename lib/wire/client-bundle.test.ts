import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { expect, test } from "vitest";

/**
 * What the browser bundle may reach. Both tests follow every "use client" module's imports
 * of project files, transitively.
 */

const ROOT = process.cwd();
/** every import and re-export, `import type` included */
const ANY_IMPORT = /^\s*(?:import|export)\s+(?:[^;]*?\s+from\s+)?"([^"]+)"/gm;
/** imports that stay in the bundle: not `import type` / `export type` */
const RUNTIME_IMPORT = /^\s*import\s+(?!type\b)[^;]*?from\s+"([^"]+)"|^\s*export\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm;

function resolve(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/")
    ? path.join(ROOT, specifier.slice(2))
    : specifier.startsWith(".")
      ? path.resolve(path.dirname(from), specifier)
      : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(candidate) && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file) && !file.includes(".test."))
    .map((file) => path.join(ROOT, dir, file));
}

/**
 * Walks every client module's imports (those `pattern` matches) and returns the chains that
 * end where `offence(file, specifiers)` names a reason, e.g. `a.tsx → lib/b.ts (imports zod)`.
 * A module with an offence is not followed further.
 */
function clientImportChains(
  pattern: RegExp,
  offence: (file: string, specifiers: readonly string[]) => string | null,
): string[] {
  const clientEntries = [...sourceFiles("app"), ...sourceFiles("components")].filter((file) =>
    /^\s*["']use client["']/.test(readFileSync(file, "utf8")),
  );
  expect(clientEntries.length).toBeGreaterThan(0);
  const chains = new Set<string>();
  const seen = new Set<string>();
  const walk = (file: string, chain: readonly string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const specifiers = [...readFileSync(file, "utf8").matchAll(pattern)].map((match) => match[1] ?? match[2] ?? "");
    const here = [...chain, path.relative(ROOT, file)];
    const reason = offence(file, specifiers);
    if (reason) {
      chains.add(`${here.join(" → ")} (${reason})`);
      return;
    }
    for (const specifier of specifiers) {
      const next = resolve(file, specifier);
      if (next) walk(next, here);
    }
  };
  for (const entry of clientEntries) walk(entry, []);
  return [...chains];
}

/**
 * The browser bundle must not contain zod: building a zod object schema probes
 * `Function("")`, which the pages' Content-Security-Policy (no 'unsafe-eval') reports as a
 * violation. A shared constant belongs in a zod-free module (lib/sessions/limits.ts,
 * lib/compare/limits.ts).
 */
test("no client module reaches zod through its imports", () => {
  const zod = (_file: string, specifiers: readonly string[]) =>
    specifiers.some((specifier) => specifier === "zod" || specifier.startsWith("zod/")) ? "imports zod" : null;
  expect(clientImportChains(RUNTIME_IMPORT, zod)).toEqual([]);
});

/** The server's rooms: the data layer, the run loop, the realtime bus, the HTTP layer, the API routes. */
const SERVER_ROOMS = ["lib/db/", "lib/agent/", "lib/realtime/", "lib/http/", "app/api/"];
const SERVER_PACKAGES = [
  "server-only",
  "@prisma/",
  "pg",
  "@redis/client",
  "ai",
  "@ai-sdk/",
  "@electric-sql/pglite",
  "pglite-prisma-adapter",
  "quickjs-emscripten-core",
  "@jitl/",
  "pyodide",
  "next/server",
  "next/headers",
];
const NODE_BUILTINS = new Set(builtinModules);

function isServerPackage(specifier: string): boolean {
  if (specifier.startsWith("node:") || NODE_BUILTINS.has(specifier)) return true;
  return SERVER_PACKAGES.some((name) =>
    name.endsWith("/") ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`),
  );
}

/**
 * The browser imports no server module, not even for a type: what crosses the wire is
 * declared in lib/wire/ (types and the API client), the step tree's pure functions are in
 * lib/steps/, and both sides import those. A server module is one in a server room, or one
 * that imports "server-only", a Node builtin or a server package.
 */
test("no client module reaches a server module through its imports, type imports included", () => {
  const server = (file: string, specifiers: readonly string[]) => {
    const room = SERVER_ROOMS.find((prefix) => path.relative(ROOT, file).startsWith(prefix));
    if (room) return `in ${room}`;
    const found = specifiers.find(isServerPackage);
    return found ? `imports ${found}` : null;
  };
  expect(clientImportChains(ANY_IMPORT, server)).toEqual([]);
});
