/** A project's files as a .zip archive (deflate), for downloading a branch at a step. Pure. */
import { type Zippable, zipSync } from "fflate";
import type { VirtualFiles } from "@/lib/steps/virtual-files";

const encoder = new TextEncoder();
/** A fixed time for every entry, so the same files always make the same archive. */
const ENTRY_TIME = new Date("2000-01-01T00:00:00Z");

/** The files (path → text) zipped at the archive's top level, so it unpacks over a checkout. */
export function zipProject(files: VirtualFiles): Uint8Array {
  const entries: Zippable = {};
  for (const path of [...files.keys()].sort()) {
    entries[path] = [encoder.encode(files.get(path) ?? ""), { mtime: ENTRY_TIME }];
  }
  return zipSync(entries, { level: 6 });
}
