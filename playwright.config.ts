import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { APP_PORT, EMULATOR_PORT, GUEST_STATE, STANDIN_PORT } from "./e2e/ports";

/**
 * End-to-end tests on the production build (`next build` runs first, see package.json),
 * in Debian's Chromium, against the project's MiniMax wire emulator on port 4010 (and the
 * OpenAI/Anthropic wire stand-ins on 4520, for a second provider in Compare). The app
 * gets a fresh embedded database per run and reaches the emulator through its real
 * MiniMax provider configuration (MINIMAX_BASE_URL), exactly as it would reach the API.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), "interleave-e2e-"));

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  outputDir: "test-results",
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    storageState: GUEST_STATE,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
      ],
    },
  },
  webServer: [
    {
      command: `npx tsx lib/model/emulator/cli.ts --port ${EMULATOR_PORT} --delay 20 --words 3`,
      url: `http://127.0.0.1:${EMULATOR_PORT}/v1/models`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `npx tsx lib/model/standins/cli.ts --port ${STANDIN_PORT} --delay 20`,
      url: `http://127.0.0.1:${STANDIN_PORT}/v1/models`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `npx next start -p ${APP_PORT} -H 127.0.0.1`,
      url: `http://127.0.0.1:${APP_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        DATABASE_URL: "",
        DATA_DIR: dataDir,
        MINIMAX_API_KEY: "e2e-test-key",
        MINIMAX_BASE_URL: `http://127.0.0.1:${EMULATOR_PORT}`,
        MINIMAX_API: "anthropic",
        MINIMAX_MODEL: "MiniMax-M2",
        // a second provider for Compare: Claude's wire format, from the local stand-in
        ANTHROPIC_API_KEY: "e2e-anthropic-key",
        ANTHROPIC_BASE_URL: `http://127.0.0.1:${STANDIN_PORT}/v1`,
        ANTHROPIC_MODELS: "claude-sonnet-4-5",
        MODEL_STALL_TIMEOUT_MS: "4000",
        OFFLINE_DEMO_CHUNK_DELAY_MS: "10",
        // 1 MiB, so the oversize upload test (e2e/project-io.spec.ts) sends little
        PROJECT_MAX_BYTES: "1048576",
        // the specs share few guests and start many runs; the limit has its own test
        RUN_STARTS_PER_MINUTE: "1000",
        // every spec's browsers are guests from 127.0.0.1; the limit has its own test
        GUEST_ACCOUNTS_PER_MINUTE: "1000",
      },
    },
  ],
});
