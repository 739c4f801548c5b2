import { structuredPatch } from "diff";
import { useMemo } from "react";

/** One file's changes as unified-diff hunks, without Monaco: light enough for many files at once. */
export function UnifiedDiff({
  path,
  before,
  after,
  beforeLabel,
  afterLabel,
}: {
  path: string;
  /** null: the file does not exist on that side */
  before: string | null;
  after: string | null;
  beforeLabel: string;
  afterLabel: string;
}) {
  const patch = useMemo(
    () => structuredPatch(path, path, before ?? "", after ?? "", beforeLabel, afterLabel, { context: 3 }),
    [path, before, after, beforeLabel, afterLabel],
  );
  const status = before === null ? `only in ${afterLabel}` : after === null ? `only in ${beforeLabel}` : null;
  return (
    <section
      className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800"
      aria-label={`Diff of ${path}`}
    >
      <header className="flex items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-900">
        <span className="min-w-0 flex-1 truncate">{path}</span>
        {status ? <span className="font-sans text-zinc-500 dark:text-zinc-400">{status}</span> : null}
      </header>
      <div className="overflow-x-auto">
        <pre className="min-w-max font-mono text-xs leading-5">
          {patch.hunks.map((hunk) => {
            let oldLine = hunk.oldStart;
            let newLine = hunk.newStart;
            return (
              <div key={`${hunk.oldStart}:${hunk.newStart}`}>
                <div className="bg-sky-50 px-3 text-sky-700 dark:bg-sky-950/40 dark:text-sky-300">
                  @@ -{hunk.oldStart},{hunk.oldLines} +{hunk.newStart},{hunk.newLines} @@
                </div>
                {hunk.lines.map((line, i) => {
                  const sign = line[0];
                  if (sign === "\\") return null;
                  const numbers =
                    sign === "+" ? ["", newLine++] : sign === "-" ? [oldLine++, ""] : [oldLine++, newLine++];
                  const tone =
                    sign === "+"
                      ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200"
                      : sign === "-"
                        ? "bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200"
                        : "text-zinc-700 dark:text-zinc-300";
                  return (
                    <div key={i} className={`flex ${tone}`}>
                      <span className="w-10 shrink-0 pr-2 text-right text-zinc-500 dark:text-zinc-400 select-none">
                        {numbers[0]}
                      </span>
                      <span className="w-10 shrink-0 pr-2 text-right text-zinc-500 dark:text-zinc-400 select-none">
                        {numbers[1]}
                      </span>
                      <span className="pr-3">{line}</span>
                    </div>
                  );
                })}
              </div>
            );
          })}
        </pre>
      </div>
    </section>
  );
}
