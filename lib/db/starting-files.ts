import "server-only";
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client.ts";
import { utf8Length } from "@/lib/project/intake";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import type { SkippedFile } from "@/lib/wire/sessions";
import { getPrisma } from "./client";
import { decodeDbText, encodeDbText } from "./text-codec";

/**
 * A session's starting files (docs/starting-files.md): each content stored once as a
 * StartingBlob keyed by its SHA-256, and per session a StartingFileSet whose manifest maps
 * paths to blobs. Reads are scoped to the caller's workspace through the set's session;
 * a blob is reached only through a manifest.
 */

/** One file of a set, without its content: what the file tree and the editor list need. */
export interface StartingFileEntry {
  path: string;
  sha256: string;
  /** UTF-8 bytes */
  size: number;
}

/** A set as the session page and the API show it. */
export interface StartingManifest {
  files: StartingFileEntry[];
  skipped: SkippedFile[];
  fileCount: number;
  totalBytes: number;
}

type Tx = Pick<PrismaClient, "startingBlob" | "startingFileSet">;

/** Blobs written per statement: keeps each under the drivers' parameter limits. */
const BLOB_BATCH = 500;

/** Hex SHA-256 of the UTF-8 text: a StartingBlob's key. */
function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Stores `files` as the starting files of a session just created (inside its transaction). */
export async function saveStartingFiles(
  tx: Tx,
  sessionId: string,
  files: VirtualFiles,
  skipped: readonly SkippedFile[],
): Promise<void> {
  const entries: StartingFileEntry[] = [];
  const blobs = new Map<string, { sha256: string; content: string; size: number }>();
  for (const path of [...files.keys()].sort()) {
    const content = files.get(path) ?? "";
    const sha256 = sha256Hex(content);
    const size = utf8Length(content);
    entries.push({ path, sha256, size });
    // through the text codec: the embedded database drops a byte-order mark at a value's start
    blobs.set(sha256, { sha256, content: encodeDbText(content), size });
  }
  const rows = [...blobs.values()];
  for (let at = 0; at < rows.length; at += BLOB_BATCH) {
    await tx.startingBlob.createMany({ data: rows.slice(at, at + BLOB_BATCH), skipDuplicates: true });
  }
  await tx.startingFileSet.create({
    data: {
      sessionId,
      manifest: entries as unknown as object,
      skipped: skipped as unknown as object,
      fileCount: entries.length,
      totalBytes: entries.reduce((sum, entry) => sum + entry.size, 0),
    },
  });
}

/** A session of the workspace's starting files without their content; null when it started empty (or is elsewhere). */
export async function getStartingManifest({
  sessionId,
  workspaceId,
}: {
  sessionId: string;
  workspaceId: string;
}): Promise<StartingManifest | null> {
  const prisma = await getPrisma();
  const set = await prisma.startingFileSet.findFirst({ where: { sessionId, session: { workspaceId } } });
  if (!set) return null;
  return {
    files: set.manifest as unknown as StartingFileEntry[],
    skipped: set.skipped as unknown as SkippedFile[],
    fileCount: set.fileCount,
    totalBytes: set.totalBytes,
  };
}

/**
 * The content of a session of the workspace's starting files (path → text): all of them,
 * or only those in `paths` (unknown paths are left out). Empty for a session that started
 * empty (or is elsewhere).
 */
export async function loadStartingFiles({
  sessionId,
  workspaceId,
  paths,
}: {
  sessionId: string;
  workspaceId: string;
  paths?: readonly string[];
}): Promise<Map<string, string>> {
  const manifest = await getStartingManifest({ sessionId, workspaceId });
  if (!manifest) return new Map();
  const wanted = paths ? new Set(paths) : null;
  const entries = wanted ? manifest.files.filter((entry) => wanted.has(entry.path)) : manifest.files;
  if (entries.length === 0) return new Map();
  const prisma = await getPrisma();
  const blobs = await prisma.startingBlob.findMany({
    where: { sha256: { in: [...new Set(entries.map((entry) => entry.sha256))] } },
    select: { sha256: true, content: true },
  });
  const content = new Map(blobs.map((blob) => [blob.sha256, decodeDbText(blob.content)]));
  return new Map(entries.map((entry) => [entry.path, content.get(entry.sha256) ?? ""]));
}
