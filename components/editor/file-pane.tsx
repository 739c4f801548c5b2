import type { VirtualFiles } from "@/lib/steps/virtual-files";
import type { SkippedFile } from "@/lib/wire/sessions";
import { Badge } from "../ui/badge";
import { EmptyState } from "../ui/empty-state";
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
      <div className="relative min-h-64 min-w-0 flex-1">
        {loading ? (
          <EditorLoading />
        ) : openPath ? (
          <>
            <CodeView
              path={openPath}
              value={content}
              readOnly={draft === null}
              followEnd={showingLive}
              onChange={draft ? (next) => onDraft({ path: draft.path, content: next }) : undefined}
            />
            {showingLive ? (
              <Badge tone="accent" className="pointer-events-none absolute top-2 right-4">
                {live.streaming ? "writing…" : "not applied yet"}
              </Badge>
            ) : null}
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
