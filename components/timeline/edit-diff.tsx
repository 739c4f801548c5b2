import { diffWordsWithSpace } from "diff";
import { useMemo } from "react";

/** An edited step against the step it was edited from, word by word. */
export function EditDiff({ original, edited }: { original: string; edited: string }) {
  const changes = useMemo(() => diffWordsWithSpace(original, edited), [original, edited]);
  return (
    <p className="rounded-md border border-zinc-200 bg-white px-2.5 py-1.5 text-sm whitespace-pre-wrap dark:border-zinc-800 dark:bg-zinc-950">
      {changes.map((change, i) =>
        change.added ? (
          <ins
            key={i}
            className="bg-emerald-100 text-emerald-900 no-underline dark:bg-emerald-950 dark:text-emerald-200"
          >
            {change.value}
          </ins>
        ) : change.removed ? (
          <del key={i} className="bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200">
            {change.value}
          </del>
        ) : (
          <span key={i}>{change.value}</span>
        ),
      )}
    </p>
  );
}
