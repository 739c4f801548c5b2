"use client";

import { type DragEvent, useId, useRef, useState } from "react";
import { Button } from "../ui/button";

/** A file chosen for the new session's project, under the path it will have there. */
export interface PickedFile {
  path: string;
  blob: Blob;
}

/** Folders the server skips anyway: not sending them keeps a dropped repository's upload small. */
const LEFT_OUT = /(^|\/)(\.git|node_modules)\//;
/** Rows listed before "… and N more". */
const SHOWN = 50;

const kb = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The path inside a picked folder: `myproject/src/a.ts` → `src/a.ts`. */
function insideFolder(relativePath: string): string {
  const slash = relativePath.indexOf("/");
  return slash === -1 ? relativePath : relativePath.slice(slash + 1);
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** Every file under a dropped entry, with its path below `prefix`. */
async function filesOf(entry: FileSystemEntry, prefix: string): Promise<PickedFile[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path: `${prefix}${entry.name}`, blob: file }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const out: PickedFile[] = [];
  // readEntries answers in batches; an empty batch is the end.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) {
      const childPrefix = `${prefix}${entry.name}/`;
      if (child.isDirectory && (child.name === ".git" || child.name === "node_modules")) continue;
      out.push(...(await filesOf(child, childPrefix)));
    }
  }
  return out;
}

/** What was dropped: one folder counts as the project itself (its name is left out of the paths). */
async function dropped(event: DragEvent): Promise<PickedFile[]> {
  const entries = [...event.dataTransfer.items]
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => Boolean(entry));
  if (entries.length === 0) {
    return [...event.dataTransfer.files].map((file) => ({ path: file.name, blob: file }));
  }
  const files = (await Promise.all(entries.map((entry) => filesOf(entry, "")))).flat();
  const single = entries.length === 1 && entries[0]?.isDirectory;
  return single ? files.map((file) => ({ ...file, path: insideFolder(file.path) })) : files;
}

/**
 * The starting files of a new session: drop files or a folder, pick files (a .zip is
 * unpacked by the server) or a folder, or paste a snippet under a file name. The server
 * normalises paths and enforces the limits (docs/starting-files.md).
 */
export function ProjectPicker({ files, onChange }: { files: PickedFile[]; onChange: (files: PickedFile[]) => void }) {
  const id = useId();
  const [over, setOver] = useState(false);
  const [leftOut, setLeftOut] = useState(0);
  const [snippet, setSnippet] = useState<{ name: string; text: string } | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  function add(picked: PickedFile[]) {
    const kept = picked.filter((file) => !LEFT_OUT.test(file.path));
    setLeftOut((count) => count + picked.length - kept.length);
    const byPath = new Map(files.map((file) => [file.path, file]));
    for (const file of kept) byPath.set(file.path, file);
    onChange([...byPath.values()].sort((a, b) => a.path.localeCompare(b.path)));
  }

  const total = files.reduce((sum, file) => sum + file.blob.size, 0);

  return (
    <fieldset className="min-w-0 space-y-2">
      <legend className="text-sm font-medium">
        Starting files <span className="font-normal text-zinc-500 dark:text-zinc-400">(optional)</span>
      </legend>
      <section
        aria-label="Drop files, a folder or a .zip here"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(event) => {
          event.preventDefault();
          setOver(false);
          void dropped(event).then(add);
        }}
        className={`flex flex-wrap items-center gap-2 rounded-md border border-dashed px-3 py-2.5 text-xs ${
          over
            ? "border-violet-500 bg-violet-50 dark:bg-violet-950/40"
            : "border-zinc-300 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
        }`}
      >
        <span>Drop files, a folder or a .zip here, or</span>
        <Button className="px-2 py-0.5 text-xs" onClick={() => filesInput.current?.click()}>
          Add files or .zip
        </Button>
        <Button className="px-2 py-0.5 text-xs" onClick={() => folderInput.current?.click()}>
          Add folder
        </Button>
        <Button className="px-2 py-0.5 text-xs" onClick={() => setSnippet({ name: "", text: "" })}>
          Paste a snippet
        </Button>
        <input
          ref={filesInput}
          id={`${id}-files`}
          data-testid="project-files-input"
          type="file"
          multiple
          hidden
          onChange={(event) => {
            add([...(event.target.files ?? [])].map((file) => ({ path: file.name, blob: file })));
            event.target.value = "";
          }}
        />
        <input
          ref={folderInput}
          data-testid="project-folder-input"
          type="file"
          hidden
          // React does not know the attribute; the browser does.
          {...{ webkitdirectory: "" }}
          onChange={(event) => {
            add(
              [...(event.target.files ?? [])].map((file) => ({
                path: insideFolder(file.webkitRelativePath || file.name),
                blob: file,
              })),
            );
            event.target.value = "";
          }}
        />
      </section>

      {snippet ? (
        <div className="space-y-1.5 rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
          <input
            aria-label="Snippet file name"
            placeholder="File name, e.g. src/parse.ts"
            value={snippet.name}
            onChange={(event) => setSnippet({ ...snippet, name: event.target.value })}
            className="w-full rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          />
          <textarea
            aria-label="Snippet"
            rows={5}
            placeholder="Paste code here"
            value={snippet.text}
            onChange={(event) => setSnippet({ ...snippet, text: event.target.value })}
            className="w-full resize-y rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          />
          <div className="flex gap-2">
            <Button
              className="px-2 py-0.5 text-xs"
              disabled={snippet.name.trim() === ""}
              onClick={() => {
                add([{ path: snippet.name.trim(), blob: new Blob([snippet.text], { type: "text/plain" }) }]);
                setSnippet(null);
              }}
            >
              Add snippet
            </Button>
            <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setSnippet(null)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}

      {files.length > 0 ? (
        <div className="rounded-md border border-zinc-200 dark:border-zinc-800">
          <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-1 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            <span>
              {files.length} {files.length === 1 ? "file" : "files"} · {kb(total)}
              {leftOut > 0 ? ` · ${leftOut} in .git/ or node_modules/ left out` : ""}
            </span>
            <Button
              variant="ghost"
              className="px-2 py-0 text-xs"
              onClick={() => {
                onChange([]);
                setLeftOut(0);
              }}
            >
              Remove all
            </Button>
          </div>
          <ul aria-label="Starting files" className="max-h-40 overflow-y-auto py-1">
            {files.slice(0, SHOWN).map((file) => (
              <li key={file.path} className="flex items-center justify-between gap-2 px-3 text-xs">
                <span className="truncate font-mono">{file.path}</span>
                <span className="flex shrink-0 items-center gap-2 text-zinc-500 dark:text-zinc-400">
                  {file.path.toLowerCase().endsWith(".zip") ? "unpacked on upload · " : ""}
                  {kb(file.blob.size)}
                  <button
                    type="button"
                    aria-label={`Remove ${file.path}`}
                    onClick={() => onChange(files.filter((other) => other !== file))}
                    className="rounded px-1 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
                  >
                    ×
                  </button>
                </span>
              </li>
            ))}
            {files.length > SHOWN ? (
              <li className="px-3 text-xs text-zinc-500 dark:text-zinc-400">… and {files.length - SHOWN} more</li>
            ) : null}
          </ul>
        </div>
      ) : null}
    </fieldset>
  );
}
