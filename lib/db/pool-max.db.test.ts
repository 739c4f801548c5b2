import { describe, expect, test } from "vitest";
import { getDatabase } from "./client";

/**
 * DATABASE_POOL_MAX reaches the PostgreSQL pool through getDatabase's wiring (env →
 * openDatabase → pg.Pool): this file's process opens its database with a pool of 2, and
 * ten queries sent at once are served by 2 connections (the pool opens a connection for
 * each query it can't serve from an idle one, up to its max, and queues the rest). With
 * the default of 20 they would get 10. Counted by backend pid, not by time. The embedded
 * database has no pool.
 */

// read once by env(), before this file's first getDatabase()
process.env.DATABASE_POOL_MAX = "2";

describe.skipIf(!process.env.DATABASE_URL)("the PostgreSQL pool (DATABASE_POOL_MAX)", () => {
  test("holds at most DATABASE_POOL_MAX connections", async () => {
    const { query } = await getDatabase();
    const pids = await Promise.all(
      Array.from({ length: 10 }, () => query<{ pid: number }>("SELECT pg_backend_pid() AS pid", [])),
    );
    expect(new Set(pids.map(([row]) => row?.pid)).size).toBe(2);
  });
});
