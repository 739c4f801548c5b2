"use client";

import { useEffect, useMemo, useState } from "react";
import type { BranchOutline } from "@/lib/steps/branch-outline";
import { filesAt } from "@/lib/steps/files";
import { branchPoint } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import { apiFetch } from "@/lib/wire/client";
import { UnifiedDiff } from "../editor/unified-diff";
import { KIND_DOT, kindLabel } from "../timeline/step-kind";
import { ToolCallSummary } from "../timeline/tool-call-body";
import { Button } from "../ui/button";
import { Tab, TabList } from "../ui/tabs";

type CompareTab = "steps" | "files";

/** Steps per request when a whole branch is fetched (the server's page limit). */
const PAGE = 200;

/** Every step of the branch ending exactly at `leafId`, root first, fetched page by page. */
async function fetchWholeBranch(sessionId: string, leafId: string): Promise<StepNode[]> {
  const { branch, steps } = await apiFetch<{ branch: BranchOutline; steps: StepNode[] }>(
    `/api/sessions/${sessionId}/branch?from=${encodeURIComponent(leafId)}&exact=1`,
  );
  const byId = new Map(steps.map((step) => [step.id, step]));
  const missing = branch.path.filter((id) => !byId.has(id));
  for (let i = 0; i < missing.length; i += PAGE) {
    const page = await apiFetch<{ steps: StepNode[] }>(
      `/api/sessions/${sessionId}/steps?ids=${missing.slice(i, i + PAGE).join(",")}`,
    );
    for (const step of page.steps) byId.set(step.id, step);
  }
  return branch.path.flatMap((id) => {
    const step = byId.get(id);
    return step ? [step] : [];
  });
}

type CompareProps = {
  /** the session's starting files (those the branches touch are loaded) */
  start: VirtualFiles;
  onOpen: (leafId: string) => void;
  onClose: () => void;
};

/**
 * Two branches side by side from where they fork, and how their final files differ. The
 * page holds only the branch on screen, so both are fetched whole first.
 */
export function BranchCompare({
  sessionId,
  leafA,
  leafB,
  ...props
}: CompareProps & { sessionId: string; leafA: string; leafB: string }) {
  const [paths, setPaths] = useState<{ a: StepNode[]; b: StepNode[] } | "failed" | null>(null);
  useEffect(() => {
    let current = true;
    Promise.all([fetchWholeBranch(sessionId, leafA), fetchWholeBranch(sessionId, leafB)]).then(
      ([a, b]) => current && setPaths({ a, b }),
      () => current && setPaths("failed"),
    );
    return () => {
      current = false;
    };
  }, [sessionId, leafA, leafB]);
  if (paths === null || paths === "failed") {
    return (
      <div className="flex items-center gap-3 p-4 text-sm text-zinc-500 dark:text-zinc-400">
        <p role="status">{paths === "failed" ? "Could not load the branches." : "Loading the branches…"}</p>
        <Button variant="secondary" className="px-2 py-0.5 text-xs" onClick={props.onClose}>
          Back
        </Button>
      </div>
    );
  }
  return <ComparedBranches pathA={paths.a} pathB={paths.b} {...props} />;
}

/** The comparison itself: the steps before the fork are shared and left out. */
function ComparedBranches({
  pathA,
  pathB,
  start,
  onOpen,
  onClose,
}: CompareProps & { pathA: readonly StepNode[]; pathB: readonly StepNode[] }) {
  const [tab, setTab] = useState<CompareTab>("steps");
  const leafA = pathA.at(-1)?.id ?? "";
  const leafB = pathB.at(-1)?.id ?? "";
  const fork = branchPoint(pathA, pathB);
  const shared = fork ? pathA.indexOf(fork) + 1 : 0;

  const fileDiffs = useMemo(() => {
    const filesA = filesAt(pathA, start);
    const filesB = filesAt(pathB, start);
    const paths = [...new Set([...filesA.keys(), ...filesB.keys()])].sort();
    return paths
      .map((path) => ({ path, before: filesA.get(path) ?? null, after: filesB.get(path) ?? null }))
      .filter((file) => file.before !== file.after);
  }, [pathA, pathB, start]);

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">Compare branches</h2>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {fork
            ? `They share the first ${shared} ${shared === 1 ? "step" : "steps"}, up to ${kindLabel(fork)}.`
            : "They share no steps."}
        </p>
        <TabList label="Comparison view">
          <Tab selected={tab === "steps"} onClick={() => setTab("steps")}>
            Steps
          </Tab>
          <Tab selected={tab === "files"} onClick={() => setTab("files")}>
            Files ({fileDiffs.length} differ)
          </Tab>
        </TabList>
        <Button variant="ghost" className="ml-auto px-2 py-1 text-xs" onClick={onClose}>
          Close comparison
        </Button>
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto">
        {tab === "steps" ? (
          <div className="grid grid-cols-1 gap-px bg-zinc-200 md:grid-cols-2 dark:bg-zinc-800">
            <BranchColumn label="A" path={pathA} from={shared} onOpen={() => onOpen(leafA)} />
            <BranchColumn label="B" path={pathB} from={shared} onOpen={() => onOpen(leafB)} />
          </div>
        ) : fileDiffs.length === 0 ? (
          <p className="p-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
            Both branches end with the same files.
          </p>
        ) : (
          <div className="space-y-3 p-4">
            {fileDiffs.map((file) => (
              <UnifiedDiff
                key={file.path}
                path={file.path}
                before={file.before}
                after={file.after}
                beforeLabel="branch A"
                afterLabel="branch B"
              />
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

function BranchColumn({
  label,
  path,
  from,
  onOpen,
}: {
  label: string;
  path: readonly StepNode[];
  from: number;
  onOpen: () => void;
}) {
  const steps = path.slice(from);
  return (
    <section aria-label={`Branch ${label}`} className="min-w-0 bg-zinc-50 dark:bg-zinc-950">
      <header className="sticky top-0 z-10 flex items-center gap-2 border-b border-zinc-200 bg-zinc-50/95 px-3 py-1.5 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
        <span className="text-xs font-semibold">Branch {label}</span>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          {steps.length} {steps.length === 1 ? "step" : "steps"} after the fork
        </span>
        <Button
          variant="secondary"
          className="ml-auto px-2 py-0.5 text-xs"
          onClick={onOpen}
          aria-label={`Open branch ${label}`}
        >
          Open
        </Button>
      </header>
      <ol className="space-y-1.5 p-3">
        {steps.map((step, i) => (
          <li
            key={step.id}
            className="rounded-md border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900"
          >
            <p className="flex items-center gap-2 text-xs">
              <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${KIND_DOT[step.kind]}`} />
              <span className="text-zinc-500 dark:text-zinc-400 tabular-nums">{from + i + 1}</span>
              {step.kind === "tool_call" ? (
                <ToolCallSummary step={step} />
              ) : (
                <span className="font-medium">{kindLabel(step)}</span>
              )}
              {step.origin === "human_edit" ? <span className="text-amber-700 dark:text-amber-300">edited</span> : null}
            </p>
            {step.kind !== "tool_call" && step.content ? (
              <p
                className={`mt-1 line-clamp-6 text-xs whitespace-pre-wrap break-words ${
                  step.kind === "thinking"
                    ? "thinking-text"
                    : step.kind === "tool_result"
                      ? "font-mono text-zinc-600 dark:text-zinc-400"
                      : ""
                }`}
              >
                {step.content}
              </p>
            ) : null}
          </li>
        ))}
        {steps.length === 0 ? (
          <li className="text-xs text-zinc-500 dark:text-zinc-400">This branch ends at the fork.</li>
        ) : null}
      </ol>
    </section>
  );
}
