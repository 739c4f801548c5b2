/**
 * Runs the emulator until killed, for browser tests and benchmarks in another process:
 *   npx tsx lib/model/emulator/cli.ts --port 4010 --delay 15 --words 3 [--host 127.0.0.1]
 * Prints its URL on the first line of stdout.
 */
import { parseArgs } from "node:util";
import { startEmulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    delay: { type: "string", default: "15" },
    words: { type: "string", default: "3" },
  },
});

const emulator = await startEmulator({
  port: Number(values.port),
  host: values.host,
  chunkDelayMs: Number(values.delay),
  wordsPerChunk: Number(values.words),
});
console.log(emulator.url);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
