import { afterAll, beforeAll } from "vitest";
import { type Emulator, startEmulator } from "@/lib/model/emulator";

/**
 * Starts the MiniMax wire emulator (no pacing) for the calling test file and points the
 * app's MiniMax settings at it — Anthropic route, a test key — plus any `env` the file
 * needs (e.g. `{ MODEL_STALL_TIMEOUT_MS: "5000" }`); closes it after the file. Call at the
 * top level of a test file. The returned function gives the running emulator; it throws
 * when called before `beforeAll` has started it.
 */
export function emulatorForFile(env: Record<string, string> = {}): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ chunkDelayMs: 0 });
    Object.assign(process.env, {
      MINIMAX_API_KEY: "test-key",
      MINIMAX_BASE_URL: emulator.url,
      MINIMAX_API: "anthropic",
      ...env,
    });
  });
  afterAll(async () => emulator?.close());
  return () => {
    if (!emulator) throw new Error("the emulator starts in beforeAll; call this inside a test or hook");
    return emulator;
  };
}
