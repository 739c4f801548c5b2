import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

/**
 * The browser bundle must not contain zod: building a zod object schema probes
 * `Function("")`, which the pages' Content-Security-Policy (no 'unsafe-eval') reports
 * as a violation. Follows every "use client" module's imports of project files; a shared
 * constant belongs in a zod-free module (lib/sessions/limits.ts, lib/compare/limits.ts).
 */

const ROOT = process.cwd();
const IMPORT = /^\s*import\s+(?!type\b)[^;]*?from\s+"([^"]+)"|^\s*export\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm;

function resolve(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/")
    ? path.join(ROOT, specifier.slice(2))
    : specifier.startsWith(".")
      ? path.resolve(path.dirname(from), specifier)
      : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(candidate) && candidate.match(/\.tsx?$/)) return candidate;
  }
  return null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file) && !file.includes(".test."))
    .map((file) => path.join(ROOT, dir, file));
}

test("no client module reaches zod through its imports", () => {
  const clientEntries = [...sourceFiles("app"), ...sourceFiles("components")].filter((file) =>
    /^\s*["']use client["']/.test(readFileSync(file, "utf8")),
  );
  expect(clientEntries.length).toBeGreaterThan(0);
  const offenders: string[] = [];
  for (const entry of clientEntries) {
    const seen = new Set<string>();
    const walk = (file: string, chain: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
        const specifier = match[1] ?? match[2] ?? "";
        if (specifier === "zod" || specifier.startsWith("zod/")) {
          offenders.push([...chain, path.relative(ROOT, file), "zod"].join(" → "));
          continue;
        }
        const next = resolve(file, specifier);
        if (next) walk(next, [...chain, path.relative(ROOT, file)]);
      }
    };
    walk(entry, []);
  }
  expect(offenders).toEqual([]);
});
