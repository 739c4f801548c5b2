"use client";

import { useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";

/** A file the person is editing (or creating) at the end of the branch. */
export interface Draft {
  path: string;
  content: string;
}

/**
 * The editor's two writes: saving a draft (a step after the branch's leaf) and running the
 * tests in the files at a step (a step after that step). Each reports the step it made;
 * a failure is one message for the person.
 */
export function useEditorActions({
  sessionId,
  leafId,
  pointId,
  onSaved,
  onTestRun,
}: {
  sessionId: string;
  leafId: string | null;
  pointId: string | null;
  onSaved: (step: StepNode) => void;
  onTestRun: (step: StepNode) => void;
}) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function runTests() {
    if (!pointId) return;
    setTesting(true);
    setError(null);
    try {
      const { step } = await api.runTests(sessionId, { afterStepId: pointId });
      onTestRun(step);
    } catch (caught) {
      setError(errorMessage(caught, "Could not run the tests."));
    } finally {
      setTesting(false);
    }
  }

  async function save() {
    if (!draft || !leafId) return;
    setSaving(true);
    setError(null);
    try {
      const { step } = await api.saveFile(sessionId, { afterStepId: leafId, path: draft.path, content: draft.content });
      onSaved(step);
      setDraft(null);
    } catch (caught) {
      setError(errorMessage(caught, "Could not save the file."));
    } finally {
      setSaving(false);
    }
  }

  return { draft, setDraft, saving, save, testing, runTests, error };
}
