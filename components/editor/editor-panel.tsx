"use client";

import { useEffect, useMemo, useState } from "react";
import { isJsTestFile, isPythonTestFile } from "@/lib/sandbox/files";
import type { StepNode } from "@/lib/steps/types";
import type { SkippedFile } from "@/lib/wire/sessions";
import { useCan } from "../session/session-access";
import type { CommentsApi } from "../timeline/comments-context";
import { ErrorMessage } from "../ui/error-message";
import { InfoMessage } from "../ui/info-message";
import type { CommentMarker } from "./comment-markers";
import { DiffPane, type DiffReview } from "./diff-pane";
import { type EditorTab, EditorToolbar } from "./editor-toolbar";
import { FilePane } from "./file-pane";
import { usePreloadMonaco } from "./lazy-monaco";
import { useEditorActions } from "./use-editor-actions";
import type { WorkspaceView } from "./use-workspace";

/**
 * The project's files as they were at the step in view: a file list, the file in Monaco
 * (read-only unless the person edits it; its comment threads marked, and lines to comment
 * on where the person may), and a Diff tab with what that step changed.
 */
export function EditorPanel({
  sessionId,
  workspace,
  starting,
  onOpenPath,
  pointId,
  pointLabel,
  atEnd,
  leafId,
  runActive,
  onShowEnd,
  onSaved,
  onTestRun,
  latestTestRunId,
  review = null,
  markersFor,
  onOpenComment,
  commentsApi,
  commentTargetFor,
}: {
  sessionId: string;
  workspace: WorkspaceView;
  /**
   * starting files still loading, a load failure, files left out at upload, and whether
   * steps of a long branch that the files depend on are still being fetched
   */
  starting: {
    pending: ReadonlySet<string>;
    error: string | null;
    skipped: readonly SkippedFile[];
    stepsLoading?: boolean;
  };
  /** told which file the editor shows, so its starting content can be fetched */
  onOpenPath: (path: string | null) => void;
  /** the step the files are shown at */
  pointId: string | null;
  /** which step the files belong to, in words */
  pointLabel: string;
  /** the files shown are those at the end of the branch (only then can a person edit them) */
  atEnd: boolean;
  leafId: string | null;
  runActive: boolean;
  onShowEnd: () => void;
  onSaved: (step: StepNode) => void;
  /** a person's test run was recorded: `step` follows the step the files are shown at */
  onTestRun: (step: StepNode) => void;
  /** the session's newest test run by a person (test-run-notice.ts): its change tells that a test run ended */
  latestTestRunId: string | null;
  /** the step in view is a file write waiting for a reviewer: its diff offers the decision */
  review?: DiffReview | null;
  /** the comment threads on lines of a file, as shown at this step (comment-markers.ts) */
  markersFor: (path: string) => CommentMarker[];
  /** opens a thread in the timeline: selects the step it is on */
  onOpenComment: (stepId: string) => void;
  /** the session's comments, to write one on lines of a file; null: none here (a share link's page) */
  commentsApi: CommentsApi | null;
  /** the step that wrote the version of a file shown here (comment-markers.ts fileVersionStep); null: none */
  commentTargetFor: (path: string) => string | null;
}) {
  const { files, change, recentPath, live } = workspace;
  usePreloadMonaco();
  const [chosenTab, setTab] = useState<EditorTab>("files");
  // a paused file write is about its proposed change: show the diff, and keep it while its content is edited
  const [reviewAt, setReviewAt] = useState<string | null>(null);
  if (review && reviewAt !== pointId) {
    setReviewAt(pointId);
    setTab("diff");
  }
  const tab = review?.editing ? "diff" : chosenTab;
  const [chosen, setChosen] = useState<{ path: string; pointId: string | null } | null>(null);
  const { draft, setDraft, saving, save, testing, runTests, notice } = useEditorActions({
    sessionId,
    leafId,
    pointId,
    onSaved,
    onTestRun,
    latestTestRunId,
  });

  const paths = [...files.keys()].sort();
  // A file the person picked stays open while the files are shown at the same step; otherwise
  // the editor shows what the step is about: the file being written, the file it changed, the
  // latest file written before it.
  const picked =
    chosen?.pointId === pointId && (files.has(chosen.path) || chosen.path === live?.path) ? chosen.path : null;
  const openPath = draft?.path ?? picked ?? live?.path ?? change?.path ?? recentPath ?? paths[0] ?? null;
  const showingLive = live !== null && openPath === live.path;
  const loadingOpen =
    openPath !== null && !showingLive && draft === null && (starting.pending.has(openPath) || !!starting.stepsLoading);
  useEffect(() => onOpenPath(openPath), [openPath, onOpenPath]);
  // a draft is the person's own text: its lines are not the commented ones
  const markers = useMemo(
    () => (openPath === null || draft !== null || showingLive ? [] : markersFor(openPath)),
    [openPath, draft, showingLive, markersFor],
  );

  // lines of a file a step wrote, as that step left it: not a draft, nor a file still being written
  const commentStep =
    commentsApi?.canWrite && openPath !== null && draft === null && !showingLive && !loadingOpen
      ? commentTargetFor(openPath)
      : null;
  const commentOn = useMemo(
    () => (commentsApi && commentStep ? { api: commentsApi, stepId: commentStep } : null),
    [commentsApi, commentStep],
  );

  const mayEdit = useCan("steps:edit");
  const canEdit = atEnd && !runActive && leafId !== null && !loadingOpen;
  const editBlocked = runActive
    ? "Files can be edited once the run has finished"
    : !atEnd
      ? "Go to the latest step to edit files"
      : undefined;
  const hasTests = paths.some((path) => isPythonTestFile(path) || isJsTestFile(path));
  const testBlocked = runActive
    ? "Tests can be run once the run has finished"
    : !hasTests
      ? "No test files at this step (test_*.py, *_test.py, *.test.ts, *.spec.ts …)"
      : undefined;

  return (
    <div className="flex h-full min-h-0 flex-col">
      <EditorToolbar
        tab={tab}
        onTab={setTab}
        changed={change !== null}
        sessionId={sessionId}
        pointId={pointId}
        pointLabel={pointLabel}
        leafId={leafId}
        atEnd={atEnd}
        onShowEnd={onShowEnd}
        editing={draft !== null}
        testing={testing}
        testBlocked={testBlocked}
        onRunTests={() => void runTests()}
        canEdit={openPath === null ? null : canEdit}
        editBlocked={editBlocked}
        onEdit={() => openPath && setDraft({ path: openPath, content: files.get(openPath) ?? "" })}
        saving={saving}
        unchanged={draft !== null && files.has(draft.path) && files.get(draft.path) === draft.content}
        onSave={() => void save()}
        onDiscard={() => setDraft(null)}
      />
      {notice || starting.error ? (
        <div className="px-3 pt-2">
          {notice?.tone === "info" ? (
            <InfoMessage message={notice.message} />
          ) : (
            <ErrorMessage message={notice?.message ?? starting.error} />
          )}
        </div>
      ) : null}
      {tab === "files" ? (
        <FilePane
          files={files}
          paths={paths}
          openPath={openPath}
          loading={loadingOpen}
          live={live}
          change={change}
          draft={draft}
          canCreate={mayEdit && canEdit && draft === null}
          skipped={starting.skipped}
          onOpen={(path) => setChosen({ path, pointId })}
          onDraft={setDraft}
          markers={markers}
          onOpenComment={onOpenComment}
          commentOn={commentOn}
        />
      ) : (
        <DiffPane change={change} review={review} />
      )}
    </div>
  );
}
