"use client";

import { useState } from "react";
import { type BranchSummary, madeByLabel } from "@/lib/steps/branches";
import type { StepNode } from "@/lib/steps/types";
import { kindLabel } from "../timeline/step-kind";
import { Button } from "../ui/button";
import { RelativeTime } from "../ui/relative-time";

/**
 * The open branch list (./branch-panel.tsx opens it and asks the server for `branches`):
 * every leaf with how it ends, who made it and when; open one, or tick two and compare
 * them. Mounted while open: the pick starts at the branch on screen each time.
 */
export default function BranchList({
  branches,
  failed,
  count,
  loaded,
  leafId,
  onOpen,
  onCompare,
  onClose,
}: {
  /** null while the server answers */
  branches: readonly BranchSummary[] | null;
  /** the server could not list them */
  failed: boolean;
  /** how many branches the list has (the page's count until the server's list arrives) */
  count: number;
  loaded: ReadonlyMap<string, StepNode>;
  leafId: string | null;
  onOpen: (leafId: string) => void;
  onCompare: (a: string, b: string) => void;
  onClose: () => void;
}) {
  const [picked, setPicked] = useState<string[]>(leafId ? [leafId] : []);

  function pick(id: string, checked: boolean) {
    // Two at most: ticking a third replaces the oldest pick.
    setPicked((current) =>
      checked ? [...current.filter((p) => p !== id), id].slice(-2) : current.filter((p) => p !== id),
    );
  }

  return (
    <>
      {branches === null ? (
        <p className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400" role="status">
          {failed ? "Could not list the branches." : "Loading branches…"}
        </p>
      ) : null}
      <ol className="max-h-[60vh] divide-y divide-zinc-100 overflow-y-auto dark:divide-zinc-800">
        {(branches ?? []).map((branch, i) => {
          const current = branch.leafId === leafId;
          const last = loaded.get(branch.lastStep.id);
          return (
            <li
              key={branch.leafId}
              className={`flex items-start gap-3 px-3 py-2 ${current ? "bg-violet-50 dark:bg-violet-950/30" : ""}`}
            >
              <input
                type="checkbox"
                className="mt-1 accent-violet-600"
                checked={picked.includes(branch.leafId)}
                onChange={(event) => pick(branch.leafId, event.target.checked)}
                aria-label={`Pick branch ${i + 1} to compare`}
              />
              <div className="min-w-0 flex-1 space-y-0.5">
                <p className="flex flex-wrap items-center gap-x-2 text-xs">
                  <span className="font-medium">Branch {i + 1}</span>
                  {current ? <span className="text-violet-700 dark:text-violet-300">on screen</span> : null}
                  <span className="text-zinc-500 dark:text-zinc-400">{madeByLabel(branch)}</span>
                  <span className="text-zinc-500 dark:text-zinc-400">{branch.length} steps</span>
                  <span className="text-zinc-500 dark:text-zinc-400">
                    <RelativeTime iso={branch.updatedAt} />
                  </span>
                </p>
                <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">
                  <span className="font-medium text-zinc-800 dark:text-zinc-200">
                    {last ? kindLabel(last) : branch.lastStep.kind}
                  </span>
                  {branch.lastStep.status === "streaming" ? " (streaming)" : ""} ·{" "}
                  {branch.lastStep.snippet || "(empty)"}
                </p>
              </div>
              <Button
                variant="secondary"
                className="px-2 py-0.5 text-xs"
                disabled={current}
                aria-label={`Open branch ${i + 1}`}
                onClick={() => {
                  onOpen(branch.leafId);
                  onClose();
                }}
              >
                Open
              </Button>
            </li>
          );
        })}
      </ol>
      <div className="flex items-center gap-2 border-t border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <p className="flex-1 text-xs text-zinc-500 dark:text-zinc-400">
          {count < 2
            ? "Edit a step or regenerate from one to make a branch."
            : `Pick two branches to compare (${picked.length}/2).`}
        </p>
        <Button
          variant="primary"
          className="px-2.5 py-1 text-xs"
          disabled={picked.length !== 2}
          onClick={() => {
            const [a, b] = picked;
            if (a && b) onCompare(a, b);
            onClose();
          }}
        >
          Compare
        </Button>
      </div>
    </>
  );
}
