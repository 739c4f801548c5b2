import "server-only";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client.ts";
import { processState } from "@/lib/process-state";
import { applyMigrations, readMigrations, type SqlConnection } from "./migrations";
import { DB_NOW, finishOrphanedRunsOn, SERVER_STOPPED } from "./runs";
import type { RawQuery } from "./sql";
import { StepRowQueue } from "./step-rows";
import { YieldingPGlite } from "./yielding-pglite";

/**
 * One Prisma client per process. DATABASE_URL set → PostgreSQL through adapter-pg;
 * unset → embedded PGlite persisted in DATA_DIR ("memory://" keeps it in memory).
 * Both get the same migrations before the first query.
 */

export type DatabaseKind = "postgres" | "pglite";

/**
 * Columns that hold secrets: the app's client leaves them out of every result unless a
 * query asks for one by name (Prisma `omit`), so no API response or log line can carry
 * them by accident. better-auth's own client (`authPrisma`) reads them.
 */
export const SECRET_COLUMNS = {
  account: { password: true, accessToken: true, refreshToken: true, idToken: true },
  authSession: { token: true },
  verification: { value: true },
  invitation: { tokenHash: true },
  shareLink: { tokenHash: true },
  apiToken: { tokenHash: true },
} as const;

function appClient(adapter: PrismaPg | PrismaPGlite) {
  return new PrismaClient({ adapter, omit: SECRET_COLUMNS });
}

/** The app's Prisma client: SECRET_COLUMNS omitted by default. */
export type AppPrisma = ReturnType<typeof appClient>;

export interface Database {
  prisma: AppPrisma;
  /** better-auth's client (lib/auth/server.ts) over the same connections: it reads password hashes and session tokens */
  authPrisma: PrismaClient;
  kind: DatabaseKind;
  migrations: number;
  /** raw SQL for health checks and LISTEN/NOTIFY-free utilities */
  ping(): Promise<void>;
  /** one statement straight to the driver (see sql.ts) */
  query: RawQuery;
  /** the rows of streaming steps, written behind in batches (see step-rows.ts) */
  stepRows: StepRowQueue;
  close(): Promise<void>;
}

/** How long a streaming step's change may wait for its database write. */
export const STEP_WRITE_INTERVAL_MS = 250;

export const DEFAULT_WORKSPACE_SLUG = "local";

export interface DatabaseConfig {
  databaseUrl?: string;
  /** connections the PostgreSQL pool holds at most (DATABASE_POOL_MAX); default 20 */
  poolMax?: number;
  dataDir: string;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const migrations = await readMigrations();
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolMax ?? 20 });
    const client = await pool.connect();
    let applied: number;
    try {
      applied = await applyMigrations(pgConnection(client), migrations);
    } finally {
      client.release();
    }
    const adapter = new PrismaPg(pool);
    const prisma = appClient(adapter);
    const authPrisma = new PrismaClient({ adapter });
    const query: RawQuery = async <Row>(sql: string, params: unknown[]) =>
      (await pool.query(sql, params)).rows as Row[];
    const stepRows = new StepRowQueue(query, STEP_WRITE_INTERVAL_MS);
    return finish({
      prisma,
      authPrisma,
      kind: "postgres",
      migrations: applied,
      ping: async () => {
        await pool.query("SELECT 1");
      },
      query,
      stepRows,
      close: async () => {
        await stepRows.flush();
        await prisma.$disconnect();
        await authPrisma.$disconnect();
        await pool.end();
      },
    });
  }

  const dataDir = config.dataDir.startsWith("memory://") ? config.dataDir : path.resolve(config.dataDir);
  const pglite = new YieldingPGlite(dataDir);
  await pglite.waitReady;
  const applied = await applyMigrations(pgliteConnection(pglite), migrations);
  const adapter = new PrismaPGlite(pglite);
  const prisma = appClient(adapter);
  const authPrisma = new PrismaClient({ adapter });
  const query: RawQuery = async <Row>(sql: string, params: unknown[]) => (await pglite.query<Row>(sql, params)).rows;
  // The embedded database belongs to this one process, so a run still active at open was
  // cut off by a restart, whatever its lease says: finish it as PostgreSQL instances
  // finish a dead instance's runs (lib/agent/run-lease.ts), steps kept.
  await finishOrphanedRunsOn(query, SERVER_STOPPED, { anyLease: true });
  // A suite run executes in its server's process too: its lease ends now, and this
  // server's first heartbeat takes it over and resumes it (lib/suites/runner.ts).
  await query(
    `UPDATE "SuiteRun" SET "leaseExpiresAt" = ${DB_NOW} - interval '1 millisecond' WHERE "status" = 'running'`,
    [],
  );
  const stepRows = new StepRowQueue(query, STEP_WRITE_INTERVAL_MS);
  return finish({
    prisma,
    authPrisma,
    kind: "pglite",
    migrations: applied,
    ping: async () => {
      await pglite.query("SELECT 1");
    },
    query,
    stepRows,
    close: async () => {
      await stepRows.flush();
      await prisma.$disconnect();
      await authPrisma.$disconnect();
      await pglite.close();
    },
  });
}

async function finish(db: Database): Promise<Database> {
  await db.prisma.workspace.upsert({
    where: { slug: DEFAULT_WORKSPACE_SLUG },
    create: { slug: DEFAULT_WORKSPACE_SLUG, name: "Local workspace" },
    update: {},
  });
  return db;
}

function pgConnection(client: pg.PoolClient): SqlConnection {
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
  };
}

function pgliteConnection(db: PGlite): SqlConnection {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
  };
}

/** The process-wide database, opened (and migrated) on first use. */
export function getDatabase(): Promise<Database> {
  const state = processState();
  const { DATABASE_URL, DATABASE_POOL_MAX, DATA_DIR } = env();
  state.database ??= openDatabase({ databaseUrl: DATABASE_URL, poolMax: DATABASE_POOL_MAX, dataDir: DATA_DIR }).catch(
    (error: unknown) => {
      state.database = undefined;
      throw error;
    },
  );
  return state.database;
}

export async function getPrisma(): Promise<AppPrisma> {
  return (await getDatabase()).prisma;
}
