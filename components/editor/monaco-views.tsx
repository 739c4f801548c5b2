"use client";

import { DiffEditor, Editor, loader, type OnMount } from "@monaco-editor/react";
import * as monaco from "monaco-editor/editor";
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/register.all";
import { useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { type CommentMarker, type LineRange, markerAtLine, markerHover, selectedLines } from "./comment-markers";
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

const NO_MARKERS: readonly CommentMarker[] = [];

/**
 * A comment thread's marks: a glyph on its first line, a bar beside its lines' numbers and
 * the lines tinted; its text on hover over any of them.
 */
function markerDecorations(markers: readonly CommentMarker[]): monaco.editor.IModelDeltaDecoration[] {
  return markers.flatMap((marker) => {
    const hoverMessage = { value: markerHover(marker), isTrusted: false, supportHtml: false };
    const tone = marker.resolved ? "comment-resolved" : "comment-open";
    return [
      {
        range: new monaco.Range(marker.startLine, 1, marker.startLine, 1),
        options: {
          glyphMarginClassName: `comment-glyph ${tone}`,
          glyphMargin: { position: monaco.editor.GlyphMarginLane.Left },
          glyphMarginHoverMessage: hoverMessage,
        },
      },
      {
        range: new monaco.Range(marker.startLine, 1, marker.endLine, 1),
        options: {
          isWholeLine: true,
          className: `comment-lines ${tone}`,
          linesDecorationsClassName: `comment-gutter ${tone}`,
          hoverMessage,
          lineNumberHoverMessage: hoverMessage,
        },
      },
    ];
  });
}

/** Where a click opens a thread: its glyph, or the bar beside its lines. */
const MARKER_TARGETS = new Set([
  monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN,
  monaco.editor.MouseTargetType.GUTTER_LINE_DECORATIONS,
]);

/** The shortcut of "Comment on these lines" (as Google Docs' "Insert comment"): Ctrl+Alt+M, ⌘⌥M on a Mac. */
const COMMENT_KEYS = monaco.KeyMod.CtrlCmd | monaco.KeyMod.Alt | monaco.KeyCode.KeyM;
/** The editor's context key that says whether the lines can be commented on here. */
const CAN_COMMENT = "interleaveCanComment";

export function CodeView({
  path,
  value,
  readOnly,
  followEnd,
  onChange,
  markers = NO_MARKERS,
  onOpenMarker,
  onSelectLines,
  onCommentLines,
}: {
  path: string;
  value: string;
  readOnly: boolean;
  /** keep the last line in view: the model is writing this file right now */
  followEnd: boolean;
  onChange?: (value: string) => void;
  /** comment threads on lines of this file (comment-markers.ts) */
  markers?: readonly CommentMarker[];
  /** a click on a marker's glyph: open its thread */
  onOpenMarker?: (marker: CommentMarker) => void;
  /** the lines the selection (or the caret) covers, as it moves */
  onSelectLines?: (lines: LineRange) => void;
  /** given: the person may comment on lines here, and "Comment on these lines" (context menu, COMMENT_KEYS) asks for it */
  onCommentLines?: (lines: LineRange) => void;
}) {
  const theme = useMonacoTheme();
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const canComment = useRef<monaco.editor.IContextKey<boolean> | null>(null);
  const latest = useRef({ value, readOnly, onChange, markers, onOpenMarker, onSelectLines, onCommentLines });
  // Layout effect: Monaco's own effects (which may set the text) run after it and must see these.
  useLayoutEffect(() => {
    latest.current = { value, readOnly, onChange, markers, onOpenMarker, onSelectLines, onCommentLines };
  });
  const onMount: OnMount = (instance) => {
    editor.current = instance;
    syncValue(instance, latest.current.value);
    decorations.current = instance.createDecorationsCollection(markerDecorations(latest.current.markers));
    instance.onMouseDown((event) => {
      if (!MARKER_TARGETS.has(event.target.type)) return;
      const line = event.target.position?.lineNumber;
      const marker = line ? markerAtLine(latest.current.markers, line) : null;
      if (marker) latest.current.onOpenMarker?.(marker);
    });
    canComment.current = instance.createContextKey(CAN_COMMENT, latest.current.onCommentLines !== undefined);
    instance.addAction({
      id: "interleave.commentLines",
      label: "Comment on these lines",
      keybindings: [COMMENT_KEYS],
      precondition: CAN_COMMENT,
      contextMenuGroupId: "navigation",
      contextMenuOrder: 0,
      run: (target) => {
        const selection = target.getSelection();
        if (selection) latest.current.onCommentLines?.(selectedLines(selection));
      },
    });
    instance.onDidChangeCursorSelection((event) => latest.current.onSelectLines?.(selectedLines(event.selection)));
  };
  const commentable = onCommentLines !== undefined;
  useEffect(() => {
    canComment.current?.set(commentable);
  }, [commentable]);
  // One listener for the editor's life: only a person's typing in edit mode is a change.
  const reportChange = useCallback((next: string | undefined) => {
    if (!latest.current.readOnly) latest.current.onChange?.(next ?? "");
  }, []);

  // A model kept from an earlier mount can hold older text than `value`: a read-only view
  // always shows exactly the files of the selected step.
  useEffect(() => {
    if (readOnly && editor.current) syncValue(editor.current, value);
  });

  // After the text is in place (the effect above): setting a new text drops the old marks.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `value` is set by the effect above and clears them
  useEffect(() => {
    decorations.current?.set(markerDecorations(markers));
  }, [markers, value]);

  useEffect(() => {
    if (!followEnd || !editor.current || value === "") return;
    const lines = editor.current.getModel()?.getLineCount() ?? 1;
    editor.current.revealLine(lines);
  }, [followEnd, value]);

  return (
    <Editor
      path={`file:///${path}`}
      // A new model starts with the text; after that syncValue (above) keeps a read-only view's
      // text, and while a person types the model is the truth: feeding their own text back
      // would race their keystrokes.
      defaultValue={value}
      language={languageOf(path)}
      theme={theme}
      onMount={onMount}
      onChange={reportChange}
      loading={null}
      // the glyph margin holds the comment markers' glyphs: only a file with comments gives it room
      options={{ ...SHARED_OPTIONS, readOnly, domReadOnly: readOnly, glyphMargin: markers.length > 0 }}
    />
  );
}

/**
 * Shows `value` in `instance`. A file the model is writing grows at its end with every
 * delta: the new text is appended, so Monaco re-tokenises and repaints the last lines only
 * (setValue redoes the whole file, once per streamed batch); any other change sets the text.
 */
function syncValue(instance: monaco.editor.IStandaloneCodeEditor, value: string) {
  const model = instance.getModel();
  if (!model) return;
  const current = model.getValue();
  if (current === value) return;
  if (current !== "" && value.startsWith(current)) {
    const end = model.getFullModelRange().getEndPosition();
    model.applyEdits([{ range: monaco.Range.fromPositions(end), text: value.slice(current.length) }]);
    return;
  }
  model.setValue(value);
}

/**
 * What a step did to a file, or what a paused write proposes. A changed file shows side by
 * side (inline where space is short); a new file shows as one column of added lines
 * (AddedFileView), since Monaco's diff editor would show an empty original as a removed
 * line 1.
 */
export function DiffView({
  path,
  before,
  after,
  created,
  onEdit,
}: {
  path: string;
  /** the file before the step; ignored for a new file */
  before: string;
  after: string;
  /** the step created the file: there is no before */
  created: boolean;
  /** given: the right side is editable (a reviewer's edit of a proposed change) and reports each change */
  onEdit?: (after: string) => void;
}) {
  if (created) return <AddedFileView path={path} content={after} onEdit={onEdit} />;
  return <ChangedFileView path={path} before={before} after={after} onEdit={onEdit} />;
}

/** Every line of the file as added: the green of Monaco's diff and its "+" beside the line numbers. */
function addedLines(model: monaco.editor.ITextModel): monaco.editor.IModelDeltaDecoration[] {
  return [
    {
      range: model.getFullModelRange(),
      options: {
        isWholeLine: true,
        className: "line-insert",
        marginClassName: "gutter-insert",
        linesDecorationsClassName: "insert-sign codicon codicon-diff-insert",
      },
    },
  ];
}

/** A new file in the Diff tab: all its lines added, nothing removed; editable as DiffView says. */
function AddedFileView({ path, content, onEdit }: { path: string; content: string; onEdit?: (after: string) => void }) {
  const theme = useMonacoTheme();
  const latestOnEdit = useRef(onEdit);
  useLayoutEffect(() => {
    latestOnEdit.current = onEdit;
  });
  const editable = onEdit !== undefined;
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const onMount: OnMount = (instance) => {
    decorations.current = instance.createDecorationsCollection();
    // the file on screen now: another new file (another step) is another model of this editor
    const markAdded = () => {
      const model = instance.getModel();
      if (model) decorations.current?.set(addedLines(model));
    };
    markAdded();
    instance.onDidChangeModel(markAdded);
    // a reviewer's typing adds lines too: the whole file stays added
    instance.onDidChangeModelContent(markAdded);
  };
  return (
    <Editor
      path={`diff-after:///${path}`}
      defaultValue={content}
      // while a reviewer types the model is the truth (as in CodeView)
      value={editable ? undefined : content}
      language={languageOf(path)}
      theme={theme}
      onMount={onMount}
      onChange={(next) => latestOnEdit.current?.(next ?? "")}
      loading={null}
      options={{ ...SHARED_OPTIONS, readOnly: !editable, domReadOnly: !editable }}
    />
  );
}

/** A file that existed before the step: Monaco's diff editor. */
function ChangedFileView({
  path,
  before,
  after,
  onEdit,
}: {
  path: string;
  before: string;
  after: string;
  onEdit?: (after: string) => void;
}) {
  const theme = useMonacoTheme();
  const latestOnEdit = useRef(onEdit);
  useLayoutEffect(() => {
    latestOnEdit.current = onEdit;
  });
  const editable = onEdit !== undefined;
  const diffEditor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  // @monaco-editor/react disposes the two models before the diff editor that shows them,
  // which Monaco throws on ("TextModel got disposed before DiffEditorWidget model got
  // reset"). This cleanup runs first (React cleans a parent before its children): the
  // editor lets go of its models, then they are disposed, and the library finds none.
  useEffect(
    () => () => {
      const diff = diffEditor.current;
      const models = diff?.getModel();
      diff?.setModel(null);
      models?.original.dispose();
      models?.modified.dispose();
    },
    [],
  );
  return (
    <DiffEditor
      onMount={(diff) => {
        diffEditor.current = diff;
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
        useInlineViewWhenSpaceIsLimited: true,
        renderSideBySideInlineBreakpoint: 700,
      }}
    />
  );
}
