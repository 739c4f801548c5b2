import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Applies prisma/migrations/* at start, in order, one transaction each, recorded in
 * `_prisma_migrations` — the table `prisma migrate deploy` uses, so both agree. The same
 * code runs on PostgreSQL and PGlite, and needs no Prisma engine binary.
 */

export interface SqlConnection {
  /** run one or more statements without parameters */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** prisma/migrations, read at start (spelled out in full where it is read, so the build traces only that folder) */
export async function readMigrations(): Promise<Migration[]> {
  const names = (await readdir(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(process.cwd(), "prisma", "migrations", name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Any fixed number: several app instances starting at once take turns. */
const MIGRATION_LOCK_KEY = 72_011_905;

/** Returns how many migrations the database has applied in total. */
export async function applyMigrations(db: SqlConnection, migrations: Migration[]): Promise<number> {
  await db.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  try {
    await db.exec(CREATE_HISTORY_TABLE);
    const applied = await db.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const appliedNames = new Set(applied.map((row) => row.migration_name));
    for (const migration of migrations) {
      if (appliedNames.has(migration.name)) continue;
      await db
        .exec(
          `BEGIN;\n${migration.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('${randomUUID()}', '${migration.checksum}', now(), '${migration.name.replace(/'/g, "''")}', 1);\nCOMMIT;`,
        )
        .catch(async (error: unknown) => {
          await db.exec("ROLLBACK").catch(() => undefined);
          throw new Error(
            `Migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
    }
    const [row] = await db.query<{ count: number | string }>(
      `SELECT count(*)::int AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return Number(row?.count ?? 0);
  } finally {
    await db.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
  }
}
