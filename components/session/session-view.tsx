"use client";

import { type ComponentProps, lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import type { CommentView } from "@/lib/wire/comments";
import type { Viewer } from "@/lib/wire/presence";
import type { StreamEnded } from "@/lib/wire/shares";
import { announceReviewChange } from "../app/review-signal";
import type { DiffReview } from "../editor/diff-pane";
import type { FilesPane as FilesPaneView } from "../editor/files-pane";
import { latestTestRunId } from "../editor/test-run-notice";
import { type StartingFilesSeed, startingFilesTouched, useStartingFiles } from "../editor/use-starting-files";
import { kindLabel, touchesFiles } from "../timeline/step-kind";
import type { Timeline as TimelineView } from "../timeline/timeline";
import { HydrateLater, laterCode } from "../ui/hydrate-later";
import { useOtherViewers, usePresenceSelection, useViewerId } from "./presence";
import type { RunComposer as RunComposerView } from "./run-composer";
import { useCan, useSessionAccess } from "./session-access";
import { StepsToolbar } from "./steps-toolbar";
import { useComments } from "./use-comments";
import { type LiveSessionSeed, type PathRow, useLiveSession, useRunReport } from "./use-live-session";
import { useRunShortcuts } from "./use-run-shortcuts";
import { useSessionActions } from "./use-session-actions";
import { useStepLoader } from "./use-step-loader";

/**
 * Not in the page's first JavaScript, which holds the live session (its state, the event
 * stream, the actions) and the steps toolbar: the timeline (its rows and the virtualiser),
 * the run composer and the files pane (the editor panel and the replay of files) come in
 * chunks of their own, asked for as the page hydrates, and each hydrates as its code
 * arrives, its server HTML on screen and unchanged until then (HydrateLater); the branch
 * comparison loads when a person compares two branches.
 */
const timelineCode = laterCode(() => import("../timeline/timeline").then((module) => module.Timeline));
const composerCode = laterCode(() => import("./run-composer").then((module) => module.RunComposer));
const filesPaneCode = laterCode(() => import("../editor/files-pane").then((module) => module.FilesPane));
const LazyBranchCompare = lazy(() => import("./branch-compare").then((module) => ({ default: module.BranchCompare })));

const TIMELINE_FALLBACK = <div className="min-h-0 flex-1" />;
const FILES_FALLBACK = <div className="h-full w-full animate-pulse bg-zinc-100/60 dark:bg-zinc-900" />;

function Timeline(props: ComponentProps<typeof TimelineView>) {
  return <HydrateLater code={timelineCode} props={props} fallback={TIMELINE_FALLBACK} />;
}

function RunComposer(props: ComponentProps<typeof RunComposerView>) {
  return <HydrateLater code={composerCode} props={props} />;
}

function FilesPane(props: ComponentProps<typeof FilesPaneView>) {
  return <HydrateLater code={filesPaneCode} props={props} fallback={FILES_FALLBACK} />;
}

function BranchCompare(props: ComponentProps<typeof LazyBranchCompare>) {
  const loading = (
    <p role="status" className="p-4 text-sm text-zinc-500 dark:text-zinc-400">
      Loading the branches…
    </p>
  );
  return (
    <Suspense fallback={loading}>
      <LazyBranchCompare {...props} />
    </Suspense>
  );
}

const NO_COMMENTS: readonly CommentView[] = [];
const NO_VIEWERS: readonly Viewer[] = [];

/** The step the files are shown at (the selected one, else the branch's last), and that in words. */
function describePoint(rows: readonly PathRow[], selectedId: string | null) {
  const position = selectedId ? rows.findIndex((row) => row.id === selectedId) : rows.length - 1;
  const point = rows[position];
  if (!point) return { point: null, label: "No steps" };
  const where = selectedId ? `Step ${position + 1} of ${rows.length}` : `Latest step (${rows.length})`;
  return { point, label: `${where} · ${kindLabel(point.step ?? { kind: point.kind, providerData: null })}` };
}

/**
 * The steps the files at the point depend on: every file-touching step of the path, the
 * point and the path's last step; null while some of them are still loading.
 */
function fileSteps(rows: readonly PathRow[], pointId: string | null): StepNode[] | null {
  const steps: StepNode[] = [];
  for (const [i, row] of rows.entries()) {
    if (!touchesFiles(row) && row.id !== pointId && i !== rows.length - 1) continue;
    if (!row.step) return null;
    steps.push(row.step);
  }
  return steps;
}

/**
 * The live session: the timeline of the branch on screen beside the files at the
 * selected step. Holds the session as folded from the SSE stream; everything below
 * derives from it. What the person may do comes from SessionAccessContext (their scopes):
 * a viewer or a share link's visitor reads it, and a visitor sees, when the link stops
 * working, why, above the timeline. `onLeafChange` hears which branch is on screen (the
 * Share dialog shares that one), `onEnded` that the stream ended for good.
 */
export function SessionView({
  startingFiles,
  onLeafChange,
  onEnded,
  ...seed
}: LiveSessionSeed & {
  startingFiles: StartingFilesSeed;
  onLeafChange?: (leafId: string | null) => void;
  /** the stream ended for good (the session deleted, a share link revoked); given, the page says it for a deleted session, not the view */
  onEnded?: (ended: StreamEnded) => void;
}) {
  const viewerId = useViewerId();
  const { stream, branch, leafId, dispatch, connection, ended, loaded, rows, loadedPath } = useLiveSession(
    seed,
    viewerId,
  );
  const canRun = useCan("runs:start");
  const canDecide = useCan("approvals:decide");
  useEffect(() => onLeafChange?.(leafId), [leafId, onLeafChange]);
  useEffect(() => {
    if (ended) onEnded?.(ended);
  }, [ended, onEnded]);
  const sessionId = seed.session.id;
  const { activeRun, shownRun, turns } = useRunReport(stream, loadedPath, leafId);
  // the run going on adds to the branch on screen: it started at its end, or its steps are on it
  const growing =
    activeRun !== null && (activeRun.fromStepId === leafId || loadedPath.some((step) => step.runId === activeRun.id));
  const lastDoneStep = loadedPath.findLast((step) => step.status === "done") ?? null;
  const actions = useSessionActions({ sessionId, branch, activeRun, dispatch });
  const { openLeaf, startRun, stopRun, runFromLeaf } = actions;
  useRunShortcuts(runFromLeaf, stopRun, { enabled: canRun });
  const selected = actions.selectedId && rows.some((row) => row.id === actions.selectedId) ? actions.selectedId : null;
  const [compare, setCompare] = useState<{ a: string; b: string } | null>(null);
  usePresenceSelection(sessionId, viewerId, selected, ended !== null);
  // a stream that ended for good hears no more of who comes and goes: show nobody rather than a stale list
  const viewers = useOtherViewers(ended ? NO_VIEWERS : stream.viewers, viewerId);
  const { share } = useSessionAccess();
  const comments = useComments(sessionId, stream.comments, connection, dispatch, share === null, {
    canSend: canRun && share === null,
    send: actions.sendComment,
  });
  const commentList = useMemo(
    () => (share === null ? [...stream.comments.values()] : NO_COMMENTS),
    [share, stream.comments],
  );
  // a run pausing for an approval, or going on after one, changes what the header's review count counts
  const paused = activeRun?.status === "awaiting_approval";
  const pausedBefore = useRef(paused);
  useEffect(() => {
    if (pausedBefore.current === paused) return;
    pausedBefore.current = paused;
    announceReviewChange();
  }, [paused]);

  // Steps beyond the end of the branch are fetched as rows come into view, and the ones the
  // files depend on right away.
  const want = useStepLoader(sessionId, loaded, dispatch, ended !== null);
  const filePath = useMemo(() => fileSteps(rows, selected), [rows, selected]);
  useEffect(() => {
    if (!filePath) want(rows.filter((row) => !row.step && touchesFiles(row)).map((row) => row.id));
  }, [filePath, rows, want]);

  // Starting files arrive as paths; their content is fetched when a step edits one or the editor opens it.
  const [openPath, setOpenPath] = useState<string | null>(null);
  const startingPaths = useMemo(() => new Set(startingFiles.files.map((file) => file.path)), [startingFiles.files]);
  const touched = useMemo(() => startingFilesTouched(loaded.values(), startingPaths), [loaded, startingPaths]);
  const needed = useMemo(() => (openPath ? [...touched, openPath] : touched), [touched, openPath]);
  const starting = useStartingFiles(sessionId, startingFiles, needed);
  // the person's own: another's test run ending frees none of their places
  const latestTestRun = useMemo(
    () => latestTestRunId(stream.steps.values(), comments.you),
    [stream.steps, comments.you],
  );

  if (compare) {
    return (
      <BranchCompare
        sessionId={sessionId}
        leafA={compare.a}
        leafB={compare.b}
        start={starting.start}
        onClose={() => setCompare(null)}
        onOpen={(leaf) => {
          void openLeaf(leaf).catch(() => {});
          setCompare(null);
        }}
      />
    );
  }

  const { point, label } = describePoint(rows, selected);
  const pointStep = point?.step;
  const review: DiffReview | null =
    pointStep?.kind === "tool_call" && pointStep.status === "awaiting_approval"
      ? {
          canDecide,
          editing: actions.reviewing === pointStep.id,
          onStartEdit: () => actions.steps.reviewInEditor(pointStep.id),
          onCancelEdit: actions.stopReviewing,
          onApprove: (content) =>
            actions.steps.decide(
              pointStep.id,
              content === null ? { decision: "approve" } : { decision: "approve", content },
            ),
        }
      : null;
  return (
    <div className="flex min-h-0 flex-1 flex-col lg:flex-row">
      <section
        aria-label="Steps"
        className="flex h-[70dvh] min-h-0 flex-col border-b border-zinc-200 lg:h-auto lg:w-[46%] lg:max-w-[52rem] lg:shrink-0 lg:border-r lg:border-b-0 dark:border-zinc-800"
      >
        <StepsToolbar
          sessionId={sessionId}
          branchCount={branch.branchCount}
          loaded={loaded}
          leafId={leafId}
          growing={growing}
          stepCount={rows.length}
          connection={connection}
          others={viewers.others}
          onOpen={(leaf) => void openLeaf(leaf).catch(() => {})}
          onCompare={(a, b) => setCompare({ a, b })}
        />
        {ended && !(onEnded && ended.code === "deleted") ? (
          <div
            role="alert"
            className="border-b border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100"
          >
            <p className="font-medium">{ended.message}</p>
            <p className="text-red-800/80 dark:text-red-200/80">
              {ended.code === "deleted"
                ? "What is on screen stays as it was until you leave this page."
                : ended.code === "removed"
                  ? "What is on screen stays as it was; it no longer updates. Ask an admin of the workspace to invite you again."
                  : "What is on screen stays as it was; it no longer updates. Ask whoever shared it for a new link."}
            </p>
          </div>
        ) : null}
        {rows.length > 0 ? (
          <Timeline
            rows={rows}
            branch={branch}
            loaded={loaded}
            selectedId={selected}
            watchers={viewers.byStep}
            runActive={activeRun !== null}
            actions={actions.steps}
            comments={share === null ? comments : null}
            onWant={ended ? null : want}
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
          mayStart={canRun}
        />
      </section>
      <section aria-label="Files" className="h-[80dvh] min-h-0 min-w-0 lg:h-auto lg:flex-1">
        <FilesPane
          sessionId={sessionId}
          path={filePath ?? loadedPath}
          selectedId={selected}
          start={starting.start}
          starting={{
            pending: starting.pending,
            error: starting.error,
            skipped: startingFiles.skipped,
            stepsLoading: filePath === null,
          }}
          onOpenPath={setOpenPath}
          pointId={point?.id ?? null}
          pointLabel={label}
          atEnd={selected === null || selected === leafId}
          leafId={leafId}
          runActive={activeRun !== null}
          latestTestRunId={latestTestRun}
          review={review}
          comments={commentList}
          commentsApi={share === null ? comments : null}
          onOpenComment={actions.steps.select}
          {...actions.files}
        />
      </section>
    </div>
  );
}
