import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

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
        },
      },
      {
        resolve: { alias },
        test: {
          name: "pglite",
          include: ["**/*.db.test.ts"],
          exclude: ["**/node_modules/**"],
          env: { DATABASE_URL: "", DATA_DIR: "memory://" },
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
          testTimeout: 60_000,
        },
      },
    ],
  },
});
