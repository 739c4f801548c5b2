import { useState } from "react";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import type { SkippedFile } from "@/lib/wire/sessions";
import { CommentForm } from "../timeline/comments";
import type { CommentsApi } from "../timeline/comments-context";
import { Badge } from "../ui/badge";
import { EmptyState } from "../ui/empty-state";
import { type CommentMarker, type LineRange, linesLabel } from "./comment-markers";
import { FileList, NewFile, SkippedFiles } from "./file-list";
import { CodeView, EditorLoading } from "./lazy-monaco";
import type { Draft } from "./use-editor-actions";
import type { WorkspaceView } from "./use-workspace";

/**
 * The Files tab: the file list (with New file and the files left out at upload) beside the
 * open file in Monaco — read-only, the draft being edited, or the file the model is writing.
 */
export function FilePane({
  files,
  paths,
  openPath,
  loading,
  live,
  change,
  draft,
  canCreate,
  skipped,
  onOpen,
  onDraft,
  markers,
  onOpenComment,
  commentOn,
}: {
  files: VirtualFiles;
  /** the files' paths, sorted */
  paths: readonly string[];
  openPath: string | null;
  /** the open file's starting content is still being fetched */
  loading: boolean;
  live: WorkspaceView["live"];
  change: WorkspaceView["change"];
  draft: Draft | null;
  /** the person may add a file here */
  canCreate: boolean;
  skipped: readonly SkippedFile[];
  onOpen: (path: string) => void;
  onDraft: (draft: Draft) => void;
  /** comment threads on lines of the open file */
  markers: readonly CommentMarker[];
  /** opens a thread in the timeline (selects its step) */
  onOpenComment: (stepId: string) => void;
  /** the person may comment on lines of the open file, on this step (the one that wrote it); null: not here */
  commentOn: { api: CommentsApi; stepId: string } | null;
}) {
  const showingLive = live !== null && openPath === live.path;
  const content = draft?.content ?? (showingLive ? live.content : openPath ? (files.get(openPath) ?? "") : "");
  const [selection, setSelection] = useState<{ path: string | null; lines: LineRange }>({
    path: null,
    lines: { startLine: 1, endLine: 1 },
  });
  const lines = selection.path === openPath ? selection.lines : { startLine: 1, endLine: 1 };
  // the form is for lines of one version of one file: another file or step closes it
  const [composing, setComposing] = useState<{ path: string; stepId: string; lines: LineRange } | null>(null);
  const writing =
    composing && commentOn && composing.path === openPath && composing.stepId === commentOn.stepId ? composing : null;
  const startComment = (at: LineRange) =>
    openPath && commentOn && setComposing({ path: openPath, stepId: commentOn.stepId, lines: at });
  return (
    <div className="flex min-h-0 flex-1 flex-col sm:flex-row">
      <div className="max-h-32 shrink-0 overflow-y-auto border-b border-zinc-200 sm:max-h-none sm:w-52 sm:border-r sm:border-b-0 dark:border-zinc-800">
        <FileList
          paths={paths}
          livePath={live && !files.has(live.path) ? live.path : null}
          openPath={openPath}
          changedPath={live?.path ?? change?.path ?? null}
          createdPath={change?.created ? change.path : null}
          locked={draft !== null}
          onOpen={onOpen}
        />
        {canCreate ? <NewFile existing={files} onCreate={(path) => onDraft({ path, content: "" })} /> : null}
        <SkippedFiles skipped={skipped} />
      </div>
      <div className="relative flex min-h-64 min-w-0 flex-1 flex-col">
        {loading ? (
          <EditorLoading />
        ) : openPath ? (
          <>
            <CommentBar
              markers={markers}
              onOpen={onOpenComment}
              lines={commentOn && !writing ? lines : null}
              onComment={() => startComment(lines)}
            />
            {writing && commentOn ? (
              <section
                aria-label="New comment on lines"
                className="shrink-0 space-y-1 border-b border-zinc-200 bg-sky-50/60 px-3 py-2 dark:border-zinc-800 dark:bg-sky-950/30"
              >
                <p className="text-[11px] text-zinc-600 dark:text-zinc-400">
                  On {writing.path}, {linesLabel(writing.lines)}
                </p>
                <CommentForm
                  api={commentOn.api}
                  label="Comment"
                  placeholder="Comment on these lines — @ mentions someone; Ctrl/⌘+Enter sends"
                  autoFocus
                  onSend={async (body) => {
                    await commentOn.api.create({
                      stepId: writing.stepId,
                      body,
                      anchor: { kind: "file", path: writing.path, ...writing.lines },
                    });
                    setComposing(null);
                  }}
                  onCancel={() => setComposing(null)}
                />
              </section>
            ) : null}
            <div className="relative min-h-0 flex-1">
              <CodeView
                path={openPath}
                value={content}
                readOnly={draft === null}
                followEnd={showingLive}
                onChange={draft ? (next) => onDraft({ path: draft.path, content: next }) : undefined}
                markers={markers}
                onOpenMarker={(marker) => onOpenComment(marker.stepId)}
                onSelectLines={(at) => setSelection({ path: openPath, lines: at })}
                onCommentLines={commentOn ? startComment : undefined}
              />
              {showingLive ? (
                <Badge tone="accent" className="pointer-events-none absolute top-2 right-4">
                  {live.streaming ? "writing…" : "not applied yet"}
                </Badge>
              ) : null}
            </div>
          </>
        ) : (
          <EmptyState>
            No files yet. The files the model writes appear here, as they were at the step you select in the timeline.
          </EmptyState>
        )}
      </div>
    </div>
  );
}

/**
 * Above the editor: the open file's comment threads, one button each (lines, author, open
 * or resolved) — what the editor's glyphs mark, reachable by keyboard and read by screen
 * readers — and, where the person may comment here (`lines` given), "Comment on line(s)…"
 * for the lines selected in the editor (also its context menu's "Comment on these lines",
 * Ctrl+Alt+M / ⌘⌥M).
 */
function CommentBar({
  markers,
  onOpen,
  lines,
  onComment,
}: {
  markers: readonly CommentMarker[];
  onOpen: (stepId: string) => void;
  lines: LineRange | null;
  onComment: () => void;
}) {
  if (markers.length === 0 && lines === null) return null;
  return (
    <div className="flex shrink-0 items-center gap-2 border-b border-zinc-200 px-2 py-1 text-[11px] dark:border-zinc-800">
      {markers.length > 0 ? (
        <ul aria-label="Comments on this file" className="flex min-w-0 flex-1 flex-wrap items-center gap-1">
          {markers.map((marker) => {
            const lines =
              marker.startLine === marker.endLine
                ? `Line ${marker.startLine}`
                : `Lines ${marker.startLine}–${marker.endLine}`;
            return (
              <li key={marker.commentId}>
                <button
                  type="button"
                  title={marker.earlier ? "On an earlier version of this file: its lines may have moved" : marker.body}
                  onClick={() => onOpen(marker.stepId)}
                  className={`rounded px-1.5 py-px font-medium ${
                    marker.resolved
                      ? "bg-zinc-100 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400"
                      : "bg-sky-100 text-sky-800 hover:bg-sky-200 dark:bg-sky-950 dark:text-sky-300 dark:hover:bg-sky-900"
                  }`}
                >
                  {lines} · {marker.authorName}
                  {marker.resolved ? " · resolved" : ""}
                  {marker.earlier ? " · earlier version" : ""}
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <span className="min-w-0 flex-1 truncate text-zinc-500 dark:text-zinc-400">
          Select lines in the file to comment on them
        </span>
      )}
      {lines ? (
        <button
          type="button"
          onClick={onComment}
          title="Comment on the lines selected in the editor (Ctrl+Alt+M, ⌘⌥M on a Mac)"
          aria-keyshortcuts="Control+Alt+M Meta+Alt+M"
          className="shrink-0 rounded border border-zinc-300 px-1.5 py-px font-medium text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          Comment on {linesLabel(lines)}
        </button>
      ) : null}
    </div>
  );
}
