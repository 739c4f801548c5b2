import { inject } from "vitest";

// Point this test file's app code at the run's throwaway database (see postgres-setup.ts).
process.env.DATABASE_URL = inject("databaseUrl");
