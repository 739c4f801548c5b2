import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Env every project's tests start with: the per-user run-start limit (RUN_STARTS_PER_MINUTE)
 * and the per-address guest limit (GUEST_ACCOUNTS_PER_MINUTE) are far above what one test
 * file starts or makes in a minute, so only run-limit.db.test.ts and guest-limit.db.test.ts,
 * which set their own, meet them.
 */
const testEnv = { RUN_STARTS_PER_MINUTE: "10000", GUEST_ACCOUNTS_PER_MINUTE: "10000" };

const alias = {
  "@": fileURLToPath(new URL("./", import.meta.url)),
  // route handlers and the data layer import "server-only"; tests are the server
  "server-only": fileURLToPath(new URL("./test/server-only-stub.ts", import.meta.url)),
};

/**
 * Three projects: pure unit tests once, and the database tests (*.db.test.ts) twice —
 * on embedded PGlite (in memory) and on the real PostgreSQL (a throwaway database
 * created by test/postgres-setup.ts for the run).
 */
export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.ts",
            "app/**/*.test.ts",
            "components/**/*.test.ts",
            "test/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
          exclude: ["**/*.db.test.ts", "**/node_modules/**"],
          environment: "node",
          env: testEnv,
          // a project sets its own: the root's testTimeout does not reach inline projects
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "pglite",
          include: ["**/*.db.test.ts"],
          exclude: ["**/node_modules/**"],
          env: { ...testEnv, DATABASE_URL: "", DATA_DIR: "memory://" },
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "postgres",
          include: ["**/*.db.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["test/postgres-setup.ts"],
          setupFiles: ["test/postgres-env.ts"],
          env: testEnv,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
