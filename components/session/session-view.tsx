"use client";

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { RunView } from "@/lib/db/mappers";
import { latestLeafUnder, siblingsOf } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import { EditorPanel } from "../editor/editor-panel";
import { type StartingFilesSeed, startingFilesTouched, useStartingFiles } from "../editor/use-starting-files";
import { useWorkspaceAt } from "../editor/use-workspace";
import type { StepActions } from "../timeline/step-actions";
import { kindLabel } from "../timeline/step-kind";
import { Timeline } from "../timeline/timeline";
import { ApiError, apiFetch } from "../ui/api";
import { BranchCompare } from "./branch-compare";
import { BranchPanel } from "./branch-panel";
import { RunComposer, type RunNotice } from "./run-composer";
import { type LiveSessionSeed, useLiveSession, useRunReport } from "./use-live-session";
import type { StreamStatus } from "./use-session-stream";

function messageOf(error: unknown, fallback: string): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** Shows `leafId` in the address bar without a navigation (no server round trip). */
function rememberLeafInUrl(leafId: string) {
  const url = new URL(window.location.href);
  url.searchParams.set("leaf", leafId);
  window.history.replaceState(window.history.state, "", url);
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

  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = selectedId && path.some((step) => step.id === selectedId) ? selectedId : null;
  const [notice, setNotice] = useState<RunNotice | null>(null);
  const [compare, setCompare] = useState<{ a: string; b: string } | null>(null);

  // Starting files arrive as paths; their content is fetched when a step edits one or the editor opens it.
  const [openPath, setOpenPath] = useState<string | null>(null);
  const startingPaths = useMemo(() => new Set(startingFiles.files.map((file) => file.path)), [startingFiles.files]);
  const touched = useMemo(() => startingFilesTouched(index.byId.values(), startingPaths), [index, startingPaths]);
  const needed = useMemo(() => (openPath ? [...touched, openPath] : touched), [touched, openPath]);
  const starting = useStartingFiles(sessionId, startingFiles, needed);
  const workspace = useWorkspaceAt(path, selected, starting.start);

  // Row actions read the latest state through a ref, so one actions object serves every render.
  const latest = useRef({ index, leafId, activeRun });
  useLayoutEffect(() => {
    latest.current = { index, leafId, activeRun };
  });

  const openLeaf = useCallback(
    (target: string, { exact = false }: { exact?: boolean } = {}) => {
      const { index } = latest.current;
      // A step an API call just returned is not in the last render's index yet; it is a leaf anyway.
      const leaf = exact || !index.byId.has(target) ? target : latestLeafUnder(index, target).id;
      dispatch({ type: "open", leafId: leaf });
      rememberLeafInUrl(leaf);
      if (!exact) {
        apiFetch(`/api/sessions/${sessionId}`, { method: "PATCH", json: { activeLeafId: leaf } }).catch(() => {
          // Only the default branch for the next visit is lost; the URL still points here.
        });
      }
    },
    [sessionId, dispatch],
  );

  const startRun = useCallback(
    /** `restoreView`: on failure, go back to the branch that was on screen */
    async (fromStepId: string, { restoreView = true }: { restoreView?: boolean } = {}) => {
      setNotice(null);
      const previousLeaf = latest.current.leafId;
      const moves = fromStepId !== previousLeaf;
      // Show the path up to where the run starts before asking: its first step can arrive on
      // the stream before this request returns, and the view follows steps below its leaf.
      if (moves) openLeaf(fromStepId, { exact: true });
      setSelectedId(null);
      try {
        const { run } = await apiFetch<{ run: RunView }>(`/api/sessions/${sessionId}/runs`, {
          method: "POST",
          json: { fromStepId },
        });
        dispatch({ type: "run", run });
      } catch (error) {
        if (restoreView && moves && previousLeaf) openLeaf(previousLeaf, { exact: true });
        setNotice({
          message: messageOf(error, "Could not start the run."),
          offerStop: error instanceof ApiError && error.status === 409,
        });
      }
    },
    [sessionId, openLeaf, dispatch],
  );

  const stopRun = useCallback(async () => {
    const run = latest.current.activeRun;
    if (!run) return;
    try {
      // The run's new status arrives on the stream, like every other viewer's.
      await apiFetch(`/api/runs/${run.id}/cancel`, { method: "POST" });
      setNotice(null);
    } catch (error) {
      setNotice({ message: messageOf(error, "Could not stop the run."), offerStop: false });
    }
  }, []);

  const actions = useMemo<StepActions>(
    () => ({
      select: (stepId) => setSelectedId(stepId),
      switchSibling: (stepId, direction) => {
        const { siblings, position } = siblingsOf(latest.current.index, stepId);
        const target = siblings[position + direction];
        if (!target) return;
        openLeaf(target.id);
        setSelectedId(target.id);
      },
      regenerate: (stepId) => void startRun(stepId),
      saveEdit: async (step, content, { regenerate }) => {
        const { step: created } = await apiFetch<{ step: StepNode }>(
          `/api/sessions/${sessionId}/steps/${step.id}/edit`,
          {
            method: "POST",
            json: { content },
          },
        );
        dispatch({ type: "step", step: created });
        openLeaf(created.id);
        setSelectedId(created.id);
        // The edit is saved either way: a run that can't start must not hide it.
        if (regenerate) await startRun(created.id, { restoreView: false });
      },
      stopRun: () => void stopRun(),
    }),
    [openLeaf, startRun, stopRun, sessionId, dispatch],
  );

  const run = useCallback(() => {
    if (latest.current.leafId && !latest.current.activeRun) void startRun(latest.current.leafId);
  }, [startRun]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented) return;
      const inField = (event.target as Element | null)?.closest?.("input, textarea, select, [contenteditable='true']");
      if (event.key === "Enter" && (event.metaKey || event.ctrlKey) && !inField) {
        event.preventDefault();
        run();
      } else if (event.key === "Escape" && !inField && latest.current.activeRun) {
        void stopRun();
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [run, stopRun]);

  const onFileSaved = useCallback(
    (step: StepNode) => {
      dispatch({ type: "step", step });
      setSelectedId(null);
    },
    [dispatch],
  );
  // A test run at a step in the middle of the branch starts a new branch there: open it.
  const onTestRun = useCallback(
    (step: StepNode) => {
      dispatch({ type: "step", step });
      openLeaf(step.id, { exact: true });
      setSelectedId(null);
    },
    [dispatch, openLeaf],
  );
  const showEnd = useCallback(() => setSelectedId(null), []);

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

  const pointIndex = selected ? path.findIndex((step) => step.id === selected) : path.length - 1;
  const point = path[pointIndex];
  const pointLabel = point
    ? `${selected ? `Step ${pointIndex + 1} of ${path.length}` : `Latest step (${path.length})`} · ${kindLabel(point)}`
    : "No steps";

  return (
    <div className="flex min-h-0 flex-1 flex-col lg:flex-row">
      <section
        aria-label="Steps"
        className="flex h-[70dvh] min-h-0 flex-col border-b border-zinc-200 lg:h-auto lg:w-[46%] lg:max-w-[52rem] lg:shrink-0 lg:border-r lg:border-b-0 dark:border-zinc-800"
      >
        <div className="flex items-center gap-2 border-b border-zinc-200 px-2 py-1 dark:border-zinc-800">
          <BranchPanel index={index} leafId={leafId} onOpen={openLeaf} onCompare={(a, b) => setCompare({ a, b })} />
          <span className="text-xs text-zinc-500 dark:text-zinc-400 tabular-nums">
            {path.length} {path.length === 1 ? "step" : "steps"}
          </span>
          <ConnectionBadge status={connection} />
        </div>
        {path.length > 0 ? (
          <Timeline path={path} index={index} selectedId={selected} runActive={activeRun !== null} actions={actions} />
        ) : (
          <p className="flex-1 p-8 text-center text-sm text-zinc-500 dark:text-zinc-400">This session has no steps.</p>
        )}
        <RunComposer
          run={shownRun}
          active={activeRun !== null}
          turns={turns}
          notice={notice}
          canRun={leafId !== null}
          canRetry={lastDoneStep !== null}
          onRun={run}
          onStop={() => void stopRun()}
          onRetry={() => lastDoneStep && void startRun(lastDoneStep.id)}
          onContinue={run}
        />
      </section>
      <section aria-label="Files" className="h-[80dvh] min-h-0 min-w-0 lg:h-auto lg:flex-1">
        <EditorPanel
          sessionId={sessionId}
          workspace={workspace}
          starting={{ pending: starting.pending, error: starting.error, skipped: startingFiles.skipped }}
          onOpenPath={setOpenPath}
          pointId={point?.id ?? null}
          pointLabel={pointLabel}
          atEnd={selected === null || selected === leafId}
          leafId={leafId}
          runActive={activeRun !== null}
          onShowEnd={showEnd}
          onSaved={onFileSaved}
          onTestRun={onTestRun}
        />
      </section>
    </div>
  );
}

function ConnectionBadge({ status }: { status: StreamStatus }) {
  if (status === "live") {
    return (
      <span
        className="ml-auto inline-flex items-center gap-1.5 text-[11px] text-zinc-500 dark:text-zinc-400"
        title="Receiving updates live"
      >
        <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-emerald-500" />
        Live
      </span>
    );
  }
  return (
    <span
      className="ml-auto inline-flex items-center gap-1.5 text-[11px] text-amber-700 dark:text-amber-400"
      role="status"
    >
      <span aria-hidden className="h-1.5 w-1.5 animate-pulse rounded-full bg-amber-500" />
      {status === "connecting" ? "Connecting…" : "Reconnecting…"}
    </span>
  );
}
