"use client";

import { type ComponentProps, lazy, Suspense } from "react";

/**
 * The timeline's parts that are not in the session page's first JavaScript, each loaded
 * (React.lazy, a chunk of its own) when a row first shows it: the markdown renderer
 * (react-markdown with GFM), test reports and a person's steps, the step editor and the
 * diff of an edited step. A server-rendered row keeps its server HTML until the code
 * arrives and React hydrates it; a row first rendered in the browser shows the stand-in
 * (the fallback) for that moment.
 */

const Markdown = lazy(() => import("./markdown").then((module) => ({ default: module.StepMarkdown })));
const Report = lazy(() => import("./test-report").then((module) => ({ default: module.TestReportView })));
const UserNote = lazy(() => import("./user-note-body").then((module) => ({ default: module.UserNoteBody })));
const Editor = lazy(() => import("./step-editor").then((module) => ({ default: module.StepEditor })));
const Diff = lazy(() => import("./edit-diff").then((module) => ({ default: module.EditDiff })));

/** Model-written markdown (./markdown.tsx); until the renderer loads, the text as it is. */
export function StepMarkdown({ text }: { text: string }) {
  const plain = (
    <div className="prose-step">
      <p className="whitespace-pre-wrap break-words">{text}</p>
    </div>
  );
  return (
    <Suspense fallback={plain}>
      <Markdown text={text} />
    </Suspense>
  );
}

/** A run's test report (./test-report.tsx). */
export function TestReportView(props: ComponentProps<typeof Report>) {
  return (
    <Suspense>
      <Report {...props} />
    </Suspense>
  );
}

/** A person's step: a test run, a file saved in the editor (named by replaying the file tool), a note. */
export function UserNoteBody(props: ComponentProps<typeof UserNote>) {
  return (
    <Suspense>
      <UserNote {...props} />
    </Suspense>
  );
}

/** The editor of a step's text (./step-editor.tsx), when a person edits one. */
export function StepEditor(props: ComponentProps<typeof Editor>) {
  return (
    <Suspense>
      <Editor {...props} />
    </Suspense>
  );
}

/** An edited step against its original, word by word (./edit-diff.tsx, with the diff library). */
export function EditDiff(props: ComponentProps<typeof Diff>) {
  return (
    <Suspense>
      <Diff {...props} />
    </Suspense>
  );
}
