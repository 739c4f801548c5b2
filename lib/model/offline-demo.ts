import "server-only";
import { env } from "@/lib/env";
import { processState } from "@/lib/process-state";
import { chooseDemoScenario } from "./demo-scenarios";
import { startEmulator } from "./emulator";

/**
 * The "Offline demo (scripted)" model: the project's MiniMax wire emulator, started in
 * this process on a random loopback port the first time it is needed. Runs reach it
 * through the real provider code, so the demo exercises the same path as the real API.
 * It plays the scenario that matches the task, and says it is scripted (demo-scenarios.ts).
 */

export async function getOfflineEmulatorUrl(): Promise<string> {
  const state = processState();
  state.offlineEmulator ??= startEmulator({
    chunkDelayMs: env().OFFLINE_DEMO_CHUNK_DELAY_MS,
    wordsPerChunk: 3,
    choose: chooseDemoScenario,
  });
  return (await state.offlineEmulator).url;
}
