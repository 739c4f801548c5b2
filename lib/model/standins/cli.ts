/**
 * Runs the provider stand-ins until killed, for browser tests in another process:
 *   npx tsx lib/model/standins/cli.ts --port 4020 --delay 20
 * Prints its URL on the first line of stdout. Point ANTHROPIC_BASE_URL / OPENAI_BASE_URL /
 * OPENAI_COMPATIBLE_BASE_URL at `<url>/v1`.
 */
import { parseArgs } from "node:util";
import { startStandIn } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4020" },
    host: { type: "string", default: "127.0.0.1" },
    delay: { type: "string", default: "20" },
  },
});

const standIn = await startStandIn({
  port: Number(values.port),
  host: values.host,
  chunkDelayMs: Number(values.delay),
});
console.log(standIn.url);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
