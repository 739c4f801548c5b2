import { EmptyState } from "../ui/empty-state";
import { DiffView } from "./lazy-monaco";
import type { WorkspaceView } from "./use-workspace";

/** The Diff tab: what the step in view did to a file, side by side (a new file as one column). */
export function DiffPane({ change }: { change: WorkspaceView["change"] }) {
  return (
    <div className="relative min-h-64 min-w-0 flex-1">
      {change ? (
        <div className="flex h-full flex-col">
          <p className="border-b border-zinc-200 px-3 py-1 font-mono text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            {change.path}
            {change.created ? <span className="ml-2 text-emerald-700 dark:text-emerald-400">new file</span> : null}
          </p>
          <div className="min-h-0 flex-1">
            <DiffView path={change.path} before={change.before} after={change.after} sideBySide={!change.created} />
          </div>
        </div>
      ) : (
        <EmptyState>
          This step changes no file. Select a write_file or edit_file step in the timeline to see its diff.
        </EmptyState>
      )}
    </div>
  );
}
