"use client";

import { useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import { api } from "@/lib/wire/api";
import { ApiError, errorMessage } from "@/lib/wire/client";
import { type EditorFailure, failureNotice } from "./test-run-notice";

/** A file the person is editing (or creating) at the end of the branch. */
export interface Draft {
  path: string;
  content: string;
}

/**
 * The editor's two writes: saving a draft (a step after the branch's leaf) and running the
 * tests in the files at a step (a step after that step). Each reports the step it made;
 * a failure is one message for the person (`notice`, an error). A refusal for too many test
 * runs going gives way to a notice (info) to try again once a test run of the session ends
 * (`latestTestRunId` changes: test-run-notice.ts).
 */
export function useEditorActions({
  sessionId,
  leafId,
  pointId,
  onSaved,
  onTestRun,
  latestTestRunId,
}: {
  sessionId: string;
  leafId: string | null;
  pointId: string | null;
  onSaved: (step: StepNode) => void;
  onTestRun: (step: StepNode) => void;
  /** the session's newest test run (test-run-notice.ts latestTestRunId) */
  latestTestRunId: string | null;
}) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [failure, setFailure] = useState<EditorFailure | null>(null);
  const fail = (caught: unknown, fallback: string) =>
    setFailure({
      message: errorMessage(caught, fallback),
      code: caught instanceof ApiError ? caught.code : null,
      latestTestRunId,
    });

  async function runTests() {
    if (!pointId) return;
    setTesting(true);
    setFailure(null);
    try {
      const { step } = await api.runTests(sessionId, { afterStepId: pointId });
      onTestRun(step);
    } catch (caught) {
      fail(caught, "Could not run the tests.");
    } finally {
      setTesting(false);
    }
  }

  async function save() {
    if (!draft || !leafId) return;
    setSaving(true);
    setFailure(null);
    try {
      const { step } = await api.saveFile(sessionId, { afterStepId: leafId, path: draft.path, content: draft.content });
      onSaved(step);
      setDraft(null);
    } catch (caught) {
      fail(caught, "Could not save the file.");
    } finally {
      setSaving(false);
    }
  }

  return { draft, setDraft, saving, save, testing, runTests, notice: failureNotice(failure, latestTestRunId) };
}
