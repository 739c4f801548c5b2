/**
 * Applies the project's patches to the installed Next.js (postinstall): the request-body copy's
 * fix (scripts/next/body-streams-patch.ts) and the response pipe's hook
 * (scripts/next/pipe-readable-patch.ts, both copies of pipe-readable.js). Exits 1, saying so,
 * when the code a patch expects has changed: a new Next.js needs the patch looked at again
 * (e2e/hardening.spec.ts checks that a hang-up logs no uncaught exception; lib/realtime/sse.test.ts
 * that the installed pipe hands an event stream its Node response).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { patchBodyStreams } from "./body-streams-patch";
import { patchPipeReadable } from "./pipe-readable-patch";

const require = createRequire(import.meta.url);
const { version } = require("next/package.json") as { version: string };

const patches = [
  {
    file: "next/dist/server/body-streams.js",
    patch: patchBodyStreams,
    what: "the proxy's request-body copy",
    by: "body-streams-patch.ts",
  },
  {
    file: "next/dist/server/pipe-readable.js",
    patch: patchPipeReadable,
    what: "the response pipe",
    by: "pipe-readable-patch.ts",
  },
  {
    file: "next/dist/esm/server/pipe-readable.js",
    patch: patchPipeReadable,
    what: "the response pipe (ESM)",
    by: "pipe-readable-patch.ts",
  },
];

let failed = false;
for (const { file, patch, what, by } of patches) {
  const path = require.resolve(file);
  const result = patch(readFileSync(path, "utf8"));
  if (result.outcome === "unknown") {
    console.error(
      `next ${version}: ${path} is not the code scripts/next/${by} patches. See that file: drop the patch if Next.js fixed it, else update it.`,
    );
    failed = true;
  } else if (result.outcome === "patched") {
    writeFileSync(path, result.text);
    console.log(`next ${version}: patched ${what} (scripts/next/${by})`);
  }
}
if (failed) process.exit(1);
