"use client";

import type { ComponentProps } from "react";
import type { StepNode } from "@/lib/steps/types";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
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
  ...panel
}: Omit<ComponentProps<typeof EditorPanel>, "workspace"> & {
  /** the steps the files depend on, path order (see useWorkspaceAt) */
  path: readonly StepNode[];
  /** the step in view; null: the end of the path */
  selectedId: string | null;
  /** the starting files, path → content */
  start: VirtualFiles;
}) {
  const workspace = useWorkspaceAt(path, selectedId, start);
  return <EditorPanel workspace={workspace} {...panel} />;
}
