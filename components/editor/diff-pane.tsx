"use client";

import { useState } from "react";
import { errorMessage } from "@/lib/wire/client";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { DiffView } from "./lazy-monaco";
import type { WorkspaceView } from "./use-workspace";

/** The step in view is a file write paused for a reviewer (the plan gate). */
export interface DiffReview {
  /** the person may decide (`approvals:decide`) */
  canDecide: boolean;
  /** the proposed content is open for the reviewer's edit */
  editing: boolean;
  onStartEdit: () => void;
  onCancelEdit: () => void;
  /** approve as proposed (null) or with the reviewer's content; throws ApiError */
  onApprove: (content: string | null) => Promise<void>;
}

/**
 * The Diff tab: what the step in view did to a file, side by side (a new file as one
 * column of added lines). A paused file write shows what it proposes; a reviewer may edit
 * it (the right side, or the new file) and approve their version.
 */
export function DiffPane({ change, review }: { change: WorkspaceView["change"]; review?: DiffReview | null }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editing = review?.editing === true && review.canDecide;

  async function approve(content: string | null) {
    if (!review) return;
    setBusy(true);
    setError(null);
    try {
      await review.onApprove(content);
      setDraft(null);
    } catch (caught) {
      setError(errorMessage(caught, "Could not record the decision."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="relative min-h-64 min-w-0 flex-1">
      {change ? (
        <div className="flex h-full flex-col">
          <p className="border-b border-zinc-200 px-3 py-1 font-mono text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            {change.path}
            {change.created ? <span className="ml-2 text-emerald-700 dark:text-emerald-400">new file</span> : null}
          </p>
          {review ? (
            <section
              aria-label="Proposed change"
              className="space-y-1.5 border-b border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100"
            >
              <p>
                {editing
                  ? `Edit ${change.created ? "the proposed file" : "the right side"}, then approve your version. The model is told exactly what you changed, as a diff.`
                  : "Proposed by the model, not applied yet: the run waits for a reviewer."}
              </p>
              {review.canDecide ? (
                <div className="flex flex-wrap gap-2">
                  {editing ? (
                    <>
                      <Button
                        variant="primary"
                        className="px-2.5 py-1 text-xs"
                        disabled={busy}
                        onClick={() => void approve(draft ?? change.after)}
                      >
                        Approve with my changes
                      </Button>
                      <Button
                        variant="ghost"
                        className="px-2.5 py-1 text-xs"
                        disabled={busy}
                        onClick={() => {
                          setDraft(null);
                          review.onCancelEdit();
                        }}
                      >
                        Cancel
                      </Button>
                    </>
                  ) : (
                    <>
                      <Button
                        variant="primary"
                        className="px-2.5 py-1 text-xs"
                        disabled={busy}
                        onClick={() => void approve(null)}
                      >
                        Approve
                      </Button>
                      <Button className="px-2.5 py-1 text-xs" disabled={busy} onClick={review.onStartEdit}>
                        Edit, then approve
                      </Button>
                    </>
                  )}
                </div>
              ) : null}
              <ErrorMessage message={error} />
            </section>
          ) : null}
          <div className="min-h-0 flex-1">
            <DiffView
              // a new key when editing starts or ends: the editor takes the proposal afresh
              key={editing ? "review-edit" : "view"}
              path={change.path}
              before={change.before}
              after={change.after}
              created={change.created}
              onEdit={editing ? setDraft : undefined}
            />
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
