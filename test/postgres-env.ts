import { randomUUID } from "node:crypto";
import { inject } from "vitest";

// Point this test file's app code at the run's throwaway database (see postgres-setup.ts).
process.env.DATABASE_URL = inject("databaseUrl");

// The test files share the database but are not instances of one deployment (each has its
// own emulator and settings): each gets a run queue of its own, so no file executes another's run.
process.env.RUN_QUEUE_SCHEMA = `pgboss_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
