"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import type { SkippedFile } from "@/lib/project/intake";
import { isJsTestFile, isPythonTestFile } from "@/lib/sandbox/files";
import type { TestReport } from "@/lib/sandbox/types";
import type { StepNode } from "@/lib/steps/types";
import { ApiError, apiFetch } from "../ui/api";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { ExportMenu } from "./export-menu";
import { FileList, NewFile, SkippedFiles } from "./file-list";
import type { WorkspaceView } from "./use-workspace";

function EditorLoading() {
  return (
    <div className="h-full w-full animate-pulse bg-zinc-100/60 dark:bg-zinc-900">
      <span className="sr-only">Loading editor…</span>
    </div>
  );
}

// Monaco is big: it loads only here, in the browser, after the page is interactive.
const CodeView = dynamic(() => import("./monaco-views").then((module) => module.CodeView), {
  ssr: false,
  loading: EditorLoading,
});
const DiffView = dynamic(() => import("./monaco-views").then((module) => module.DiffView), {
  ssr: false,
  loading: EditorLoading,
});

type Tab = "files" | "diff";

interface Draft {
  path: string;
  content: string;
}

/**
 * The project's files as they were at the step in view: a file list, the file in Monaco
 * (read-only unless the person edits it), and a Diff tab with what that step changed.
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
}: {
  sessionId: string;
  workspace: WorkspaceView;
  /** starting files still loading, a load failure, and files left out at upload */
  starting: { pending: ReadonlySet<string>; error: string | null; skipped: readonly SkippedFile[] };
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
}) {
  const { files, change, recentPath, live } = workspace;
  // Fetch Monaco while the person reads, so the first file the model writes shows at once.
  useEffect(() => {
    const preload = () => void import("./monaco-views");
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(preload, { timeout: 2000 });
      return () => cancelIdleCallback(id);
    }
    const timer = setTimeout(preload, 500);
    return () => clearTimeout(timer);
  }, []);
  const [tab, setTab] = useState<Tab>("files");
  const [chosen, setChosen] = useState<{ path: string; pointId: string | null } | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);

  const paths = [...files.keys()].sort();
  const livePath = live && !files.has(live.path) ? live.path : null;
  // A file the person picked stays open while the files are shown at the same step; otherwise
  // the editor shows what the step is about: the file being written, the file it changed, the
  // latest file written before it.
  const picked =
    chosen?.pointId === pointId && (files.has(chosen.path) || chosen.path === live?.path) ? chosen.path : null;
  const openPath = draft?.path ?? picked ?? live?.path ?? change?.path ?? recentPath ?? paths[0] ?? null;
  const showingLive = live !== null && openPath === live.path;
  const loadingOpen = openPath !== null && !showingLive && draft === null && starting.pending.has(openPath);
  useEffect(() => onOpenPath(openPath), [openPath, onOpenPath]);
  const content = draft?.content ?? (showingLive ? live.content : openPath ? (files.get(openPath) ?? "") : "");

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

  async function runTestsHere() {
    if (!pointId) return;
    setTesting(true);
    setError(null);
    try {
      const { step } = await apiFetch<{ step: StepNode; report: TestReport }>(`/api/sessions/${sessionId}/test-runs`, {
        method: "POST",
        json: { afterStepId: pointId },
      });
      onTestRun(step);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not run the tests.");
    } finally {
      setTesting(false);
    }
  }

  async function save() {
    if (!draft || !leafId) return;
    setSaving(true);
    setError(null);
    try {
      const { step } = await apiFetch<{ step: StepNode }>(`/api/sessions/${sessionId}/files`, {
        method: "POST",
        json: { afterStepId: leafId, path: draft.path, content: draft.content },
      });
      onSaved(step);
      setDraft(null);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not save the file.");
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800">
        <div
          role="tablist"
          aria-label="Editor view"
          className="flex items-center gap-0.5 rounded-md bg-zinc-100 p-0.5 dark:bg-zinc-900"
        >
          <TabButton selected={tab === "files"} onClick={() => setTab("files")}>
            Files
          </TabButton>
          <TabButton selected={tab === "diff"} onClick={() => setTab("diff")}>
            Diff
            {change ? (
              <span className="ml-1 h-1.5 w-1.5 rounded-full bg-violet-500">
                <span className="sr-only">(this step changed a file)</span>
              </span>
            ) : null}
          </TabButton>
        </div>
        <p className="min-w-0 flex-1 truncate text-xs text-zinc-500 dark:text-zinc-400" title={pointLabel}>
          {pointLabel}
        </p>
        <ExportMenu sessionId={sessionId} stepId={pointId} leafId={leafId} />
        {atEnd ? null : (
          <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={onShowEnd}>
            Show latest
          </Button>
        )}
        {draft === null && pointId ? (
          <Button
            variant="secondary"
            className="px-2 py-0.5 text-xs"
            disabled={testing || testBlocked !== undefined}
            aria-busy={testing}
            title={testBlocked ?? "Run the tests in the files at this step, in the sandbox; the report becomes a step"}
            onClick={() => void runTestsHere()}
          >
            {testing ? (
              <span
                aria-hidden
                className="h-3 w-3 animate-spin rounded-full border-2 border-zinc-300 border-t-violet-500 motion-reduce:animate-none"
              />
            ) : (
              <svg aria-hidden viewBox="0 0 12 12" className="h-2.5 w-2.5 fill-emerald-600 dark:fill-emerald-400">
                <path d="M2 1.2v9.6a.6.6 0 0 0 .9.5l7.6-4.8a.6.6 0 0 0 0-1L2.9.7a.6.6 0 0 0-.9.5Z" />
              </svg>
            )}
            {testing ? "Running tests…" : "Run tests"}
          </Button>
        ) : null}
        {tab === "files" && draft === null && openPath ? (
          <Button
            variant="secondary"
            className="px-2 py-0.5 text-xs"
            disabled={!canEdit}
            title={editBlocked}
            onClick={() => setDraft({ path: openPath, content: files.get(openPath) ?? "" })}
          >
            Edit file
          </Button>
        ) : null}
        {draft ? (
          <>
            <Button
              variant="primary"
              className="px-2 py-0.5 text-xs"
              disabled={saving || (files.has(draft.path) && files.get(draft.path) === draft.content)}
              onClick={() => void save()}
            >
              {saving ? "Saving…" : "Save file"}
            </Button>
            <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setDraft(null)}>
              Discard
            </Button>
          </>
        ) : null}
      </div>
      {error || starting.error ? (
        <div className="px-3 pt-2">
          <ErrorMessage message={error ?? starting.error} />
        </div>
      ) : null}

      {tab === "files" ? (
        <div className="flex min-h-0 flex-1 flex-col sm:flex-row">
          <div className="max-h-32 shrink-0 overflow-y-auto border-b border-zinc-200 sm:max-h-none sm:w-52 sm:border-r sm:border-b-0 dark:border-zinc-800">
            <FileList
              paths={paths}
              livePath={livePath}
              openPath={openPath}
              changedPath={live?.path ?? change?.path ?? null}
              createdPath={change?.created ? change.path : null}
              locked={draft !== null}
              onOpen={(path) => setChosen({ path, pointId })}
            />
            {canEdit && draft === null ? (
              <NewFile existing={files} onCreate={(path) => setDraft({ path, content: "" })} />
            ) : null}
            <SkippedFiles skipped={starting.skipped} />
          </div>
          <div className="relative min-h-64 min-w-0 flex-1">
            {loadingOpen ? (
              <EditorLoading />
            ) : openPath ? (
              <>
                <CodeView
                  path={openPath}
                  value={content}
                  readOnly={draft === null}
                  followEnd={showingLive}
                  onChange={draft ? (next) => setDraft({ path: draft.path, content: next }) : undefined}
                />
                {live && showingLive ? (
                  <span className="pointer-events-none absolute top-2 right-4 rounded bg-violet-700 px-1.5 py-0.5 text-[11px] font-medium text-white">
                    {live.streaming ? "writing…" : "not applied yet"}
                  </span>
                ) : null}
              </>
            ) : (
              <EmptyState>
                No files yet. The files the model writes appear here, as they were at the step you select in the
                timeline.
              </EmptyState>
            )}
          </div>
        </div>
      ) : (
        <div className="relative min-h-64 min-w-0 flex-1">
          {change ? (
            <div className="flex h-full flex-col">
              <p className="border-b border-zinc-200 px-3 py-1 font-mono text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
                {change.path}
                {change.created ? <span className="ml-2 text-emerald-700 dark:text-emerald-400">new file</span> : null}
              </p>
              <div className="min-h-0 flex-1">
                <DiffView path={change.path} before={change.before} after={change.after} sideBySide={!change.created} />
              </div>
            </div>
          ) : (
            <EmptyState>
              This step changes no file. Select a write_file or edit_file step in the timeline to see its diff.
            </EmptyState>
          )}
        </div>
      )}
    </div>
  );
}

function TabButton({
  selected,
  onClick,
  children,
}: {
  selected: boolean;
  onClick: () => void;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={selected}
      onClick={onClick}
      className={`inline-flex items-center rounded px-2.5 py-0.5 text-xs font-medium ${
        selected
          ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-100"
          : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
      }`}
    >
      {children}
    </button>
  );
}

function EmptyState({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex h-full items-center justify-center p-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
      {children}
    </div>
  );
}
