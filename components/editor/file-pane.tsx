import type { VirtualFiles } from "@/lib/steps/virtual-files";
import type { SkippedFile } from "@/lib/wire/sessions";
import { Badge } from "../ui/badge";
import { EmptyState } from "../ui/empty-state";
import type { CommentMarker } from "./comment-markers";
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
}) {
  const showingLive = live !== null && openPath === live.path;
  const content = draft?.content ?? (showingLive ? live.content : openPath ? (files.get(openPath) ?? "") : "");
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
            <CommentStrip markers={markers} onOpen={onOpenComment} />
            <div className="relative min-h-0 flex-1">
              <CodeView
                path={openPath}
                value={content}
                readOnly={draft === null}
                followEnd={showingLive}
                onChange={draft ? (next) => onDraft({ path: draft.path, content: next }) : undefined}
                markers={markers}
                onOpenMarker={(marker) => onOpenComment(marker.stepId)}
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
 * The open file's comment threads above the editor, one button each (lines, author, open or
 * resolved): what the editor's glyphs mark, reachable by keyboard and read by screen readers.
 */
function CommentStrip({ markers, onOpen }: { markers: readonly CommentMarker[]; onOpen: (stepId: string) => void }) {
  if (markers.length === 0) return null;
  return (
    <ul
      aria-label="Comments on this file"
      className="flex shrink-0 flex-wrap items-center gap-1 border-b border-zinc-200 px-2 py-1 text-[11px] dark:border-zinc-800"
    >
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
  );
}
