import { type FormEvent, useState } from "react";

/** Above this many files the list groups them by folder, and only open folders render their files. */
export const GROUP_FILES_ABOVE = 100;

interface Marks {
  livePath: string | null;
  openPath: string | null;
  changedPath: string | null;
  createdPath: string | null;
  locked: boolean;
  onOpen: (path: string) => void;
}

/**
 * The project's files at the step in view; the one that step touched is marked. A large
 * project (a 2,000-file upload) is grouped by folder: the folders holding the open, changed
 * or live file start open, the rest open on a click, so the page holds a row per folder
 * instead of one per file.
 */
export function FileList({ paths, ...marks }: Marks & { paths: readonly string[] }) {
  const { livePath } = marks;
  const all = livePath && !paths.includes(livePath) ? [...paths, livePath].sort() : paths;
  if (all.length === 0) return null;
  if (all.length <= GROUP_FILES_ABOVE) {
    return (
      <ul aria-label="Files" className="py-1">
        {all.map((path) => (
          <FileRow key={path} path={path} {...marks} />
        ))}
      </ul>
    );
  }
  return <FolderGroups paths={all} {...marks} />;
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash >= 0 ? path.slice(0, slash + 1) : "";
}

function FolderGroups({ paths, ...marks }: Marks & { paths: readonly string[] }) {
  const [toggled, setToggled] = useState<ReadonlySet<string>>(() => new Set());
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const folder = folderOf(path);
    const group = groups.get(folder);
    if (group) group.push(path);
    else groups.set(folder, [path]);
  }
  const marked = new Set(
    [marks.openPath, marks.changedPath, marks.livePath].filter((p): p is string => p !== null).map(folderOf),
  );
  return (
    <ul aria-label="Files" className="py-1">
      {[...groups].map(([folder, files]) => {
        // A marked folder starts open; a click flips whatever it shows.
        const open = marked.has(folder) !== toggled.has(folder);
        return (
          <li key={folder}>
            <button
              type="button"
              aria-expanded={open}
              onClick={() =>
                setToggled((current) => {
                  const next = new Set(current);
                  if (!next.delete(folder)) next.add(folder);
                  return next;
                })
              }
              className="flex w-full items-center gap-1.5 px-2 py-1 text-left font-mono text-xs text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-900"
            >
              <span aria-hidden className="w-3 text-[10px]">
                {open ? "▾" : "▸"}
              </span>
              <span className="min-w-0 flex-1 truncate">{folder || "(project root)"}</span>
              <span className="shrink-0 font-sans text-[10px] text-zinc-500">{files.length}</span>
            </button>
            {open ? (
              <ul aria-label={folder || "project root"} className="pl-2">
                {files.map((path) => (
                  <FileRow key={path} path={path} {...marks} />
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function FileRow({ path, livePath, openPath, changedPath, createdPath, locked, onOpen }: Marks & { path: string }) {
  const slash = path.lastIndexOf("/");
  const folder = slash >= 0 ? path.slice(0, slash + 1) : "";
  const name = path.slice(slash + 1);
  const open = path === openPath;
  const changed = path === changedPath;
  return (
    <li>
      <button
        type="button"
        onClick={() => onOpen(path)}
        disabled={locked && !open}
        aria-current={open ? "true" : undefined}
        title={path}
        className={`flex w-full items-center gap-1.5 px-3 py-1 text-left font-mono text-xs disabled:opacity-40 ${
          open
            ? "bg-violet-100 text-violet-900 dark:bg-violet-950/60 dark:text-violet-100"
            : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-900"
        }`}
      >
        <span className="min-w-0 flex-1 truncate">
          <span className="text-zinc-600 dark:text-zinc-400">{folder}</span>
          {name}
        </span>
        {changed ? (
          <span
            className={`shrink-0 font-sans text-[10px] font-semibold ${path === livePath || path === createdPath ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700 dark:text-amber-400"}`}
            title={path === createdPath || path === livePath ? "Created by this step" : "Changed by this step"}
          >
            {path === createdPath || path === livePath ? "A" : "M"}
          </span>
        ) : null}
      </button>
    </li>
  );
}

/** Starts a file a person writes from scratch: asks for its path, then opens it empty in edit mode. */
export function NewFile({
  existing,
  onCreate,
}: {
  existing: ReadonlyMap<string, string>;
  onCreate: (path: string) => void;
}) {
  const [path, setPath] = useState<string | null>(null);
  if (path === null) {
    return (
      <button
        type="button"
        onClick={() => setPath("")}
        className="w-full px-3 py-1.5 text-left text-xs text-zinc-500 dark:text-zinc-400 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-900 dark:hover:text-zinc-100"
      >
        + New file
      </button>
    );
  }
  const taken = existing.has(path.trim());
  function submit(event: FormEvent) {
    event.preventDefault();
    const name = path?.trim();
    if (!name || taken) return;
    onCreate(name);
    setPath(null);
  }
  return (
    <form onSubmit={submit} className="p-2">
      <input
        autoFocus
        value={path}
        onChange={(event) => setPath(event.target.value)}
        onKeyDown={(event) => event.key === "Escape" && setPath(null)}
        placeholder="src/new-file.ts"
        aria-label="New file path"
        className="w-full rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
      />
      {taken ? <p className="mt-1 text-[11px] text-red-700">That file exists: open it and edit it.</p> : null}
    </form>
  );
}

/** The files left out when the project was uploaded (binary, dependency folders), and why. */
export function SkippedFiles({ skipped }: { skipped: readonly { path: string; reason: string }[] }) {
  if (skipped.length === 0) return null;
  return (
    <details className="border-t border-zinc-200 px-3 py-1.5 text-[11px] text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
      <summary className="cursor-pointer">
        {skipped.length} {skipped.length === 1 ? "file" : "files"} skipped at upload
      </summary>
      <ul className="mt-1 space-y-0.5">
        {skipped.map((file) => (
          <li key={file.path}>
            <span className="font-mono">{file.path}</span>: {file.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
