import { type FormEvent, useState } from "react";

/** The project's files at the step in view; the one that step touched is marked. */
export function FileList({
  paths,
  livePath,
  openPath,
  changedPath,
  createdPath,
  locked,
  onOpen,
}: {
  paths: readonly string[];
  /** a file being written that does not exist yet */
  livePath: string | null;
  openPath: string | null;
  changedPath: string | null;
  createdPath: string | null;
  /** a file is being edited: switching would lose the draft */
  locked: boolean;
  onOpen: (path: string) => void;
}) {
  const all = livePath ? [...paths, livePath].sort() : paths;
  if (all.length === 0) return null;
  return (
    <ul aria-label="Files" className="py-1">
      {all.map((path) => {
        const slash = path.lastIndexOf("/");
        const folder = slash >= 0 ? path.slice(0, slash + 1) : "";
        const name = path.slice(slash + 1);
        const open = path === openPath;
        const changed = path === changedPath;
        return (
          <li key={path}>
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
      })}
    </ul>
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
