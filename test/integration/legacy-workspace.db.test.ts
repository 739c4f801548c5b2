import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { cookieCaller } from "@/lib/auth/session-caller";
import { getDatabase } from "@/lib/db/client";
import { applyMigrations, readMigrations, type SqlConnection } from "@/lib/db/migrations";
import { callRoute } from "../api";
import { guestCookie } from "../auth";

/**
 * An instance that had sessions before accounts: a database made by the migrations
 * before them, with a session in its "local" workspace. After the upgrade, the first
 * account to sign in owns that workspace and finds the session; the next one doesn't.
 */

const ACCOUNTS_MIGRATION = "20261130204304_accounts";
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
let dropDatabase: (() => Promise<void>) | undefined;

async function seedOldDatabase(db: SqlConnection) {
  const before = (await readMigrations()).filter((migration) => migration.name < ACCOUNTS_MIGRATION);
  await applyMigrations(db, before);
  await db.exec(`
    INSERT INTO "Workspace" (id, slug, name) VALUES ('ws_legacy', 'local', 'Local workspace');
    INSERT INTO "Session" (id, "workspaceId", title, "modelId", "updatedAt")
      VALUES ('s_legacy', 'ws_legacy', 'Written before accounts', 'offline-demo', now());
    INSERT INTO "Step" (id, "sessionId", kind, origin, status, content)
      VALUES ('st_legacy', 's_legacy', 'task', 'human', 'done', 'Write fizzbuzz');
    UPDATE "Session" SET "activeLeafId" = 'st_legacy' WHERE id = 's_legacy';`);
}

beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    const name = `interleave_legacy_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await seedOldDatabase({
      exec: async (sql) => void (await client.query(sql)),
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    });
    await client.end();
    process.env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      const dropper = new pg.Client({ connectionString: ADMIN_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    };
  } else {
    const dataDir = await mkdtemp(path.join(tmpdir(), "interleave-legacy-"));
    const pglite = new PGlite(dataDir);
    await seedOldDatabase({
      exec: async (sql) => void (await pglite.exec(sql)),
      query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    });
    await pglite.close();
    process.env.DATA_DIR = dataDir;
  }
}, 120_000);

afterAll(async () => {
  await (await getDatabase()).close();
  await dropDatabase?.();
}, 60_000);

describe("sessions from before accounts", () => {
  test("the first account to sign in owns the old workspace and finds its sessions; the next doesn't", async () => {
    const first = await guestCookie();
    const caller = await cookieCaller(new Request("http://localhost/", { headers: { cookie: first } }));
    expect(caller).toMatchObject({ workspaceId: "ws_legacy", role: "owner" });
    const listed = await callRoute(sessionsRoute.GET, { cookie: first });
    expect(listed.json.sessions.map((session: { id: string }) => session.id)).toEqual(["s_legacy"]);
    const opened = await callRoute(sessionRoute.GET, { cookie: first, params: { id: "s_legacy" } });
    expect(opened.status).toBe(200);

    const second = await guestCookie();
    const other = await cookieCaller(new Request("http://localhost/", { headers: { cookie: second } }));
    expect(other?.workspaceId).not.toBe("ws_legacy");
    expect((await callRoute(sessionsRoute.GET, { cookie: second })).json.sessions).toEqual([]);
    const refused = await callRoute(sessionRoute.GET, { cookie: second, params: { id: "s_legacy" } });
    expect(refused.status).toBe(404);
  });
});
