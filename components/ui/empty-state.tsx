import type { ReactNode } from "react";

/** A pane with nothing to show yet, and a sentence saying what will appear there. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-full items-center justify-center p-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
      {children}
    </div>
  );
}
