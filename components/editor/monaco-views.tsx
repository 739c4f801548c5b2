"use client";

import { DiffEditor, Editor, loader, type OnMount } from "@monaco-editor/react";
import * as monaco from "monaco-editor/editor";
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/register.all";
import { useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { languageOf } from "./language";
import { useMonacoTheme } from "./use-color-scheme";

/*
 * This module is the only one that imports Monaco, and it is loaded with next/dynamic:
 * the editor ships with the session page, after the timeline, and from this origin
 * (loader.config hands @monaco-editor/react the bundled copy instead of a CDN).
 * Syntax colouring only — no language services: the model's files are a partial project,
 * so type checking would paint every import red. That leaves one worker, the editor's.
 */
self.MonacoEnvironment = {
  getWorker: () => new Worker(new URL("monaco-editor/editor/editor.worker", import.meta.url), { type: "module" }),
};
loader.config({ monaco });

const SHARED_OPTIONS = {
  minimap: { enabled: false },
  fontSize: 13,
  lineHeight: 20,
  scrollBeyondLastLine: false,
  automaticLayout: true,
  renderLineHighlight: "none",
  padding: { top: 8, bottom: 8 },
  scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
} satisfies monaco.editor.IStandaloneEditorConstructionOptions;

export function CodeView({
  path,
  value,
  readOnly,
  followEnd,
  onChange,
}: {
  path: string;
  value: string;
  readOnly: boolean;
  /** keep the last line in view: the model is writing this file right now */
  followEnd: boolean;
  onChange?: (value: string) => void;
}) {
  const theme = useMonacoTheme();
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const latest = useRef({ value, readOnly, onChange });
  // Layout effect: Monaco's own effects (which may set the text) run after it and must see these.
  useLayoutEffect(() => {
    latest.current = { value, readOnly, onChange };
  });
  const onMount: OnMount = (instance) => {
    editor.current = instance;
    syncValue(instance, latest.current.value);
  };
  // One listener for the editor's life: only a person's typing in edit mode is a change.
  const reportChange = useCallback((next: string | undefined) => {
    if (!latest.current.readOnly) latest.current.onChange?.(next ?? "");
  }, []);

  // A model kept from an earlier mount can hold older text than `value`: a read-only view
  // always shows exactly the files of the selected step.
  useEffect(() => {
    if (readOnly && editor.current) syncValue(editor.current, value);
  });

  useEffect(() => {
    if (!followEnd || !editor.current || value === "") return;
    const lines = editor.current.getModel()?.getLineCount() ?? 1;
    editor.current.revealLine(lines);
  }, [followEnd, value]);

  return (
    <Editor
      path={`file:///${path}`}
      // While a person types the model is the truth; feeding their own text back would race their keystrokes.
      value={readOnly ? value : undefined}
      language={languageOf(path)}
      theme={theme}
      onMount={onMount}
      onChange={reportChange}
      loading={null}
      options={{ ...SHARED_OPTIONS, readOnly, domReadOnly: readOnly }}
    />
  );
}

function syncValue(instance: monaco.editor.IStandaloneCodeEditor, value: string) {
  const model = instance.getModel();
  if (model && model.getValue() !== value) model.setValue(value);
}

export function DiffView({
  path,
  before,
  after,
  sideBySide,
  onEdit,
}: {
  path: string;
  before: string;
  after: string;
  /** false for a new file: an empty left column says nothing */
  sideBySide: boolean;
  /** given: the right side is editable (a reviewer's edit of a proposed change) and reports each change */
  onEdit?: (after: string) => void;
}) {
  const theme = useMonacoTheme();
  const latestOnEdit = useRef(onEdit);
  useLayoutEffect(() => {
    latestOnEdit.current = onEdit;
  });
  const editable = onEdit !== undefined;
  return (
    <DiffEditor
      onMount={(diff) => {
        const modified = diff.getModifiedEditor();
        modified.onDidChangeModelContent(() => latestOnEdit.current?.(modified.getValue()));
      }}
      original={before}
      modified={after}
      language={languageOf(path)}
      originalModelPath={`diff-before:///${path}`}
      modifiedModelPath={`diff-after:///${path}`}
      theme={theme}
      loading={null}
      options={{
        ...SHARED_OPTIONS,
        readOnly: !editable,
        originalEditable: false,
        renderSideBySide: sideBySide,
        useInlineViewWhenSpaceIsLimited: true,
        renderSideBySideInlineBreakpoint: 700,
      }}
    />
  );
}
