/**
 * The JavaScript each page loads before it is interactive, from the last `next build`:
 * the framework's root chunks (`.next/build-manifest.json` rootMainFiles) plus the chunks
 * of the page's entries — its layouts, error boundaries and the page itself — as listed in
 * the page's client reference manifest (`.next/server/app/<route>/page_client-reference-manifest.js`).
 * Chunks loaded later on demand (Monaco, the markdown renderer, branch comparison) are not
 * counted. Sizes are gzip level 9, as Next reported "First Load JS".
 *
 *   npm run build && npm run bench:bundle [-- --budget 150]
 *
 * `--budget <KiB>`: exit 1 when the session page's first-load JS is over it.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

const NEXT = path.resolve(".next");
const SESSION_PAGE = "/s/[sessionId]";
const PAGES = ["/", SESSION_PAGE, "/compare/[id]", "/suites", "/suites/[id]"];

interface ClientManifest {
  entryJSFiles: Record<string, string[]>;
}

function clientManifest(route: string): ClientManifest {
  const file = path.join(NEXT, "server/app", route === "/" ? "" : route, "page_client-reference-manifest.js");
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  // The manifest is a script that assigns globalThis.__RSC_MANIFEST[<page>].
  const sandbox: { __RSC_MANIFEST?: Record<string, ClientManifest> } = {};
  runInNewContext(readFileSync(file, "utf8"), { globalThis: sandbox, self: sandbox });
  const manifest = Object.values(sandbox.__RSC_MANIFEST ?? {})[0];
  if (!manifest) throw new Error(`${file} holds no manifest`);
  return manifest;
}

/** The files a browser loads for `route` at first: root chunks, then the page's entry chunks, each once. */
function firstLoadFiles(rootMainFiles: readonly string[], manifest: ClientManifest): string[] {
  return [...new Set([...rootMainFiles, ...Object.values(manifest.entryJSFiles).flat()])];
}

const gzipBytes = (file: string) => gzipSync(readFileSync(path.join(NEXT, file)), { level: 9 }).length;
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

function main() {
  const budgetAt = process.argv.indexOf("--budget");
  const budgetKiB = budgetAt === -1 ? null : Number(process.argv[budgetAt + 1]);
  const { rootMainFiles } = JSON.parse(readFileSync(path.join(NEXT, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const shared = rootMainFiles.reduce((sum, file) => sum + gzipBytes(file), 0);
  console.log(`framework (root chunks, every page): ${kib(shared)} KiB gzip`);
  console.log("| page | first-load JS (gzip) | of which the page's own |");
  console.log("|---|---|---|");
  let session = 0;
  for (const route of PAGES) {
    const files = firstLoadFiles(rootMainFiles, clientManifest(route));
    const total = files.reduce((sum, file) => sum + gzipBytes(file), 0);
    if (route === SESSION_PAGE) session = total;
    console.log(`| ${route} | ${kib(total)} KiB | ${kib(total - shared)} KiB |`);
  }
  if (budgetKiB !== null && session > budgetKiB * 1024) {
    console.error(`The session page loads ${kib(session)} KiB of JavaScript, over the ${budgetKiB} KiB budget.`);
    process.exit(1);
  }
}

main();
