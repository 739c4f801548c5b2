/**
 * Applies scripts/next/body-streams-patch.ts to the installed Next.js (postinstall). Exits 1,
 * saying so, when the code it patches has changed: a new Next.js needs the fix looked at again
 * (e2e/hardening.spec.ts checks that a hang-up logs no uncaught exception).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { patchBodyStreams } from "./body-streams-patch";

const require = createRequire(import.meta.url);
const path = require.resolve("next/dist/server/body-streams.js");
const { version } = require("next/package.json") as { version: string };
const result = patchBodyStreams(readFileSync(path, "utf8"));
if (result.outcome === "unknown") {
  console.error(
    `next ${version}: ${path} is not the code scripts/next/body-streams-patch.ts fixes. See that file: drop the patch if Next.js fixed it, else update it.`,
  );
  process.exit(1);
}
if (result.outcome === "patched") {
  writeFileSync(path, result.text);
  console.log(`next ${version}: patched the proxy's request-body copy (scripts/next/body-streams-patch.ts)`);
}
