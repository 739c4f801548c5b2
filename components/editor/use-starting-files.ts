"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import { loadApi } from "@/lib/wire/load-api";
import { useSessionAccess } from "../session/session-access";
import { readToolInput } from "../timeline/tool-input";

/** A starting file as the page gets it: its path and size, never its content (docs/starting-files.md). */
export interface StartingFileInfo {
  path: string;
  size: number;
}

/** What the session page knows of its starting files. */
export interface StartingFilesSeed {
  files: StartingFileInfo[];
  skipped: { path: string; reason: string }[];
}

export interface StartingFilesView {
  /** path → content for every starting file; "" for one not fetched yet (see `pending`) */
  start: VirtualFiles;
  /** starting files needed on screen whose content is still on its way */
  pending: ReadonlySet<string>;
  error: string | null;
}

/** The server answers at most this many paths a request. */
const BATCH = 100;
const NONE: ReadonlySet<string> = new Set();

/** Starting files the steps of the tree write or edit: their content is needed to replay them. */
export function startingFilesTouched(steps: Iterable<StepNode>, starting: ReadonlySet<string>): string[] {
  const touched = new Set<string>();
  for (const step of steps) {
    if (step.kind !== "tool_call") continue;
    const path = step.providerData?.file?.path ?? readToolInput(step).path;
    if (path && starting.has(path)) touched.add(path);
  }
  return [...touched].sort();
}

/**
 * The starting files' content, fetched as it is needed: the files that steps edit (so the
 * files at each step replay right) and the file open in the editor. Fetched content is
 * kept for the page's lifetime.
 */
export function useStartingFiles(
  sessionId: string,
  seed: StartingFilesSeed,
  needed: readonly string[],
): StartingFilesView {
  const [contents, setContents] = useState<ReadonlyMap<string, string>>(() => new Map());
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(new Set<string>());
  const known = useMemo(() => new Set(seed.files.map((file) => file.path)), [seed.files]);
  const { share } = useSessionAccess();

  const missing = needed.filter((path) => known.has(path) && !contents.has(path));
  const missingKey = missing.join("\n");
  useEffect(() => {
    const toAsk = missingKey.split("\n").filter((path) => path && !asked.current.has(path));
    for (let at = 0; at < toAsk.length; at += BATCH) {
      const batch = toAsk.slice(at, at + BATCH);
      for (const path of batch) asked.current.add(path);
      loadApi()
        .then((api) => api.startingFileContents(sessionId, batch, share))
        .then(({ files }) => setContents((current) => new Map([...current, ...Object.entries(files)])))
        .catch(() => {
          for (const path of batch) asked.current.delete(path);
          setError("Could not load the project's starting files. Reload the page to try again.");
        });
    }
  }, [sessionId, missingKey, share]);

  const start = useMemo(
    () => new Map(seed.files.map((file) => [file.path, contents.get(file.path) ?? ""])),
    [seed.files, contents],
  );
  const pending = useMemo(() => (missingKey ? new Set(missingKey.split("\n")) : NONE), [missingKey]);
  return { start, pending, error };
}
