import type { StepActions } from "./step-actions";

/** "‹ 2 / 3 ›": the alternatives of a step (edits and regenerations share its parent). */
export function SiblingSwitcher({
  stepId,
  position,
  count,
  actions,
}: {
  stepId: string;
  position: number;
  count: number;
  actions: StepActions;
}) {
  const button =
    "rounded px-1.5 py-px text-sm leading-none text-zinc-500 dark:text-zinc-400 hover:bg-zinc-200 hover:text-zinc-900 disabled:opacity-30 disabled:hover:bg-transparent dark:hover:bg-zinc-800 dark:hover:text-zinc-100";
  return (
    <span className="inline-flex items-center rounded border border-zinc-200 font-mono text-[11px] tabular-nums dark:border-zinc-700">
      <button
        type="button"
        className={button}
        disabled={position === 0}
        onClick={() => actions.switchSibling(stepId, -1)}
        aria-label="Previous alternative"
      >
        ‹
      </button>
      <span className="text-zinc-600 dark:text-zinc-400" title={`Alternative ${position + 1} of ${count}`}>
        <span aria-hidden>
          {position + 1} / {count}
        </span>
        <span className="sr-only">
          Alternative {position + 1} of {count}
        </span>
      </span>
      <button
        type="button"
        className={button}
        disabled={position === count - 1}
        onClick={() => actions.switchSibling(stepId, 1)}
        aria-label="Next alternative"
      >
        ›
      </button>
    </span>
  );
}
