import type { ReactNode } from "react";

/** A row of tabs that switch what one panel shows (the editor's Files/Diff, a comparison's Steps/Files). */
export function TabList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div
      role="tablist"
      aria-label={label}
      className="flex items-center gap-0.5 rounded-md bg-zinc-100 p-0.5 dark:bg-zinc-900"
    >
      {children}
    </div>
  );
}

export function Tab({ selected, onClick, children }: { selected: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={selected}
      onClick={onClick}
      className={`inline-flex items-center rounded px-2.5 py-0.5 text-xs font-medium ${
        selected
          ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-100"
          : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
      }`}
    >
      {children}
    </button>
  );
}
