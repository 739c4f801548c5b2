import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { openDatabase } from "./client";

/**
 * The embedded database belongs to one process: when it opens, a suite run still running
 * was its last server's, cut off by the restart, whatever its lease says. Its lease ends
 * there, so this server's first heartbeat takes it over and resumes it (lib/suites/runner.ts;
 * test/integration/suite-takeover.db.test.ts plays the takeover) instead of it staying
 * `running` for a lease's length — or, as before leases, being marked failed.
 */
test.skipIf(Boolean(process.env.DATABASE_URL))(
  "opening the embedded database ends the lease of a suite run its last server left running",
  async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "interleave-restart-"));
    try {
      const before = await openDatabase({ dataDir });
      const { id: workspaceId } = await before.prisma.workspace.findFirstOrThrow();
      const { id } = await before.prisma.suiteRun.create({
        data: {
          workspaceId,
          suiteName: "cut off",
          modelIds: ["MiniMax-M2"],
          concurrency: 1,
          status: "running",
          tasks: [],
          results: [],
          ownerId: "the-last-server",
          leaseExpiresAt: new Date(Date.now() + 600_000),
        },
      });
      await before.close();

      const after = await openDatabase({ dataDir });
      const row = await after.prisma.suiteRun.findUniqueOrThrow({ where: { id } });
      await after.close();
      expect(row).toMatchObject({ status: "running", ownerId: "the-last-server", finishedAt: null });
      expect(row.leaseExpiresAt?.getTime()).toBeLessThan(Date.now());
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
