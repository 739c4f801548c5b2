"use client";

import { useMemo, useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import { EditorPanel } from "../editor/editor-panel";
import { type StartingFilesSeed, startingFilesTouched, useStartingFiles } from "../editor/use-starting-files";
import { useWorkspaceAt } from "../editor/use-workspace";
import { kindLabel } from "../timeline/step-kind";
import { Timeline } from "../timeline/timeline";
import { BranchCompare } from "./branch-compare";
import { RunComposer } from "./run-composer";
import { StepsToolbar } from "./steps-toolbar";
import { type LiveSessionSeed, useLiveSession, useRunReport } from "./use-live-session";
import { useRunShortcuts } from "./use-run-shortcuts";
import { useSessionActions } from "./use-session-actions";

/** The step the files are shown at (the selected one, else the branch's last), and that in words. */
function describePoint(path: readonly StepNode[], selectedId: string | null) {
  const position = selectedId ? path.findIndex((step) => step.id === selectedId) : path.length - 1;
  const point = path[position];
  if (!point) return { point: null, label: "No steps" };
  const where = selectedId ? `Step ${position + 1} of ${path.length}` : `Latest step (${path.length})`;
  return { point, label: `${where} · ${kindLabel(point)}` };
}

/**
 * The live session: the timeline of the branch on screen beside the files at the
 * selected step. Holds the session as folded from the SSE stream; everything below
 * derives from it.
 */
export function SessionView({ startingFiles, ...seed }: LiveSessionSeed & { startingFiles: StartingFilesSeed }) {
  const { stream, leafId, dispatch, connection, index, path } = useLiveSession(seed);
  const sessionId = seed.session.id;
  const { activeRun, shownRun, turns } = useRunReport(stream, path, leafId);
  const lastDoneStep = path.findLast((step) => step.status === "done") ?? null;
  const actions = useSessionActions({ sessionId, index, leafId, activeRun, dispatch });
  const { openLeaf, startRun, stopRun, runFromLeaf } = actions;
  useRunShortcuts(runFromLeaf, stopRun);
  const selected =
    actions.selectedId && path.some((step) => step.id === actions.selectedId) ? actions.selectedId : null;
  const [compare, setCompare] = useState<{ a: string; b: string } | null>(null);

  // Starting files arrive as paths; their content is fetched when a step edits one or the editor opens it.
  const [openPath, setOpenPath] = useState<string | null>(null);
  const startingPaths = useMemo(() => new Set(startingFiles.files.map((file) => file.path)), [startingFiles.files]);
  const touched = useMemo(() => startingFilesTouched(index.byId.values(), startingPaths), [index, startingPaths]);
  const needed = useMemo(() => (openPath ? [...touched, openPath] : touched), [touched, openPath]);
  const starting = useStartingFiles(sessionId, startingFiles, needed);
  const workspace = useWorkspaceAt(path, selected, starting.start);

  if (compare && index.byId.has(compare.a) && index.byId.has(compare.b)) {
    return (
      <BranchCompare
        index={index}
        leafA={compare.a}
        leafB={compare.b}
        start={starting.start}
        onClose={() => setCompare(null)}
        onOpen={(leaf) => {
          openLeaf(leaf);
          setCompare(null);
        }}
      />
    );
  }

  const { point, label } = describePoint(path, selected);
  return (
    <div className="flex min-h-0 flex-1 flex-col lg:flex-row">
      <section
        aria-label="Steps"
        className="flex h-[70dvh] min-h-0 flex-col border-b border-zinc-200 lg:h-auto lg:w-[46%] lg:max-w-[52rem] lg:shrink-0 lg:border-r lg:border-b-0 dark:border-zinc-800"
      >
        <StepsToolbar
          index={index}
          leafId={leafId}
          stepCount={path.length}
          connection={connection}
          onOpen={openLeaf}
          onCompare={(a, b) => setCompare({ a, b })}
        />
        {path.length > 0 ? (
          <Timeline
            path={path}
            index={index}
            selectedId={selected}
            runActive={activeRun !== null}
            actions={actions.steps}
          />
        ) : (
          <p className="flex-1 p-8 text-center text-sm text-zinc-500 dark:text-zinc-400">This session has no steps.</p>
        )}
        <RunComposer
          run={shownRun}
          active={activeRun !== null}
          turns={turns}
          notice={actions.notice}
          canRun={leafId !== null}
          canRetry={lastDoneStep !== null}
          onRun={runFromLeaf}
          onStop={() => void stopRun()}
          onRetry={() => lastDoneStep && void startRun(lastDoneStep.id)}
          onContinue={runFromLeaf}
        />
      </section>
      <section aria-label="Files" className="h-[80dvh] min-h-0 min-w-0 lg:h-auto lg:flex-1">
        <EditorPanel
          sessionId={sessionId}
          workspace={workspace}
          starting={{ pending: starting.pending, error: starting.error, skipped: startingFiles.skipped }}
          onOpenPath={setOpenPath}
          pointId={point?.id ?? null}
          pointLabel={label}
          atEnd={selected === null || selected === leafId}
          leafId={leafId}
          runActive={activeRun !== null}
          {...actions.files}
        />
      </section>
    </div>
  );
}
