"use client";

import { type ComponentProps, useCallback } from "react";
import type { StepNode } from "@/lib/steps/types";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import type { CommentView } from "@/lib/wire/comments";
import { commentMarkers, fileVersionStep } from "./comment-markers";
import { EditorPanel } from "./editor-panel";
import { useWorkspaceAt } from "./use-workspace";

/**
 * The session page's files pane: the workspace replayed at the step in view over the
 * starting files, in the editor panel. The page loads it after its first JavaScript
 * (components/session/session-view.tsx), so the replay of files lives here with it.
 */
export function FilesPane({
  path,
  selectedId,
  start,
  comments,
  ...panel
}: Omit<ComponentProps<typeof EditorPanel>, "workspace" | "markersFor" | "commentTargetFor"> & {
  /** the session's review comments: those on lines of the open file are marked in the editor */
  comments: readonly CommentView[];
  /** the steps the files depend on, path order (see useWorkspaceAt) */
  path: readonly StepNode[];
  /** the step in view; null: the end of the path */
  selectedId: string | null;
  /** the starting files, path → content */
  start: VirtualFiles;
}) {
  const workspace = useWorkspaceAt(path, selectedId, start);
  const markersFor = useCallback(
    (filePath: string) => commentMarkers(comments, filePath, path, selectedId),
    [comments, path, selectedId],
  );
  const commentTargetFor = useCallback(
    (filePath: string) => fileVersionStep(path, filePath, selectedId),
    [path, selectedId],
  );
  return <EditorPanel workspace={workspace} markersFor={markersFor} commentTargetFor={commentTargetFor} {...panel} />;
}
