/**
 * Bundles the QuickJS sandbox's assertion library (lib/sandbox/quickjs/expect-entry.ts)
 * into one plain script, lib/generated/sandbox/expect.js, which the sandbox evaluates in
 * every fresh QuickJS context. Runs at install (postinstall), like `prisma generate`:
 * everything comes from node_modules, nothing from the network at run time.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../../", import.meta.url));
const EXPECT_BUNDLE_PATH = `${root}lib/generated/sandbox/expect.js`;

mkdirSync(`${root}lib/generated/sandbox`, { recursive: true });
const result = await build({
  entryPoints: [`${root}lib/sandbox/quickjs/expect-entry.ts`],
  outfile: EXPECT_BUNDLE_PATH,
  bundle: true,
  format: "iife",
  platform: "neutral",
  mainFields: ["module", "main"],
  target: "es2020",
  minify: true,
  legalComments: "none",
  // tinyrainbow reads process.env for colour support; the sandbox has no process, and
  // failure messages for a model read best without ANSI colours.
  define: { process: JSON.stringify({ env: { NO_COLOR: "1" }, argv: [] }) },
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`sandbox: bundled expect for QuickJS (${(bytes / 1024).toFixed(0)} KiB) → lib/generated/sandbox/expect.js`);
