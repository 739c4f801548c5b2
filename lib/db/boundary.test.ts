import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

/**
 * All database access lives in lib/db/ (issue 13): no file outside it imports the Prisma
 * client, the generated client, a driver (pg, PGlite, their Prisma adapters) or the raw
 * SQL type, and lib/db/client.ts (which hands out the connection) only for its types.
 * Tests, e2e specs and scripts (benchmarks, migrations) are exempt, as is the health
 * check, which pings the connection itself.
 */

const ROOT = process.cwd();

/** Modules only lib/db/ may import. */
const DATABASE_MODULES = [
  /^@prisma\//,
  /^prisma$/,
  /^pg$/,
  /^@electric-sql\/pglite/,
  /^pglite-prisma-adapter$/,
  /(^|\/)generated\/prisma\b/,
  /(^|\/)db\/sql$/,
];
/** Outside lib/db/, only `import type` of these. */
const TYPE_ONLY_MODULES = [/(^|\/)db\/client$/];
/** Files outside lib/db/ allowed to use the connection anyway, and why. */
const ALLOWED: Record<string, string> = {
  "app/api/health/route.ts": "pings the database and reports its kind",
  // Landed by accounts (issue 8) alongside this test; their queries belong in lib/db (members.ts, users.ts),
  // and better-auth's Prisma adapter with the client. Remove each entry when it moves.
  "lib/auth/account.ts": "to move: a user's account read",
  "lib/auth/members.ts": "to move: members, workspaces and invitations",
  "lib/auth/server.ts": "to move: better-auth's Prisma adapter",
};

const SPECIFIER =
  /\bimport\s+(type\s+)?(?:[^"'`;]*?\bfrom\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)|\bexport\s+(type\s+)?[^;"']*?\bfrom\s+["']([^"']+)["']/g;

/** The database modules a file outside lib/db/ must not import, as `specifier` strings. */
function boundaryViolations(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const typeOnly = Boolean(match[1] ?? match[4]);
    const specifier = match[2] ?? match[3] ?? match[5] ?? "";
    if (DATABASE_MODULES.some((pattern) => pattern.test(specifier))) found.push(specifier);
    else if (!typeOnly && TYPE_ONLY_MODULES.some((pattern) => pattern.test(specifier))) found.push(specifier);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(ts|tsx|mjs|js)$/.test(file) && !/\.test\.|(^|\/)node_modules\//.test(file))
    .map((file) => path.join(dir, file));
}

test("the boundary check sees each way of importing the database", () => {
  expect(boundaryViolations(`import { PrismaClient } from "@/lib/generated/prisma/client.ts";`)).toHaveLength(1);
  expect(boundaryViolations(`import type { Run } from "../generated/prisma/client.ts";`)).toHaveLength(1);
  expect(boundaryViolations(`import pg from "pg";\nconst m = await import("@electric-sql/pglite");`)).toEqual([
    "pg",
    "@electric-sql/pglite",
  ]);
  expect(boundaryViolations(`import type { RawQuery } from "@/lib/db/sql";`)).toEqual(["@/lib/db/sql"]);
  expect(boundaryViolations(`import { getDatabase } from "@/lib/db/client";`)).toEqual(["@/lib/db/client"]);
  expect(boundaryViolations(`import type { Database } from "@/lib/db/client";`)).toEqual([]);
  expect(boundaryViolations(`import { listSessionRuns } from "@/lib/db/runs";\nimport "server-only";`)).toEqual([]);
});

test("no file outside lib/db/ reaches the database except through lib/db/", () => {
  const files = [...["app", "lib", "components", "cli"].flatMap(sourceFiles), "instrumentation.ts", "proxy.ts"].filter(
    (file) => !file.startsWith("lib/db/") && !file.startsWith("lib/generated/") && !(file in ALLOWED),
  );
  expect(files.length).toBeGreaterThan(100);
  const offenders = files.flatMap((file) =>
    boundaryViolations(readFileSync(path.join(ROOT, file), "utf8")).map((specifier) => `${file} → ${specifier}`),
  );
  expect(offenders).toEqual([]);
});
