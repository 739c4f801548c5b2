"use client";

import { type FormEvent, type KeyboardEvent, useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import { ApiError } from "@/lib/wire/client";
import { useCan } from "../session/session-access";
import { Button } from "../ui/button";
import type { StepActions } from "./step-actions";

/**
 * Rewrites a step in place. Saving never changes the step: it adds the edited version
 * beside it (the original stays one alternative away) and shows that branch. "Save &
 * regenerate" (and Ctrl/⌘+Enter) also starts a run, so it is offered only with `runs:start`
 * besides the `steps:edit` that opened the editor; without it Ctrl/⌘+Enter saves.
 */
export function StepEditor({ step, actions, onClose }: { step: StepNode; actions: StepActions; onClose: () => void }) {
  const mayRun = useCan("runs:start");
  const [draft, setDraft] = useState(step.content);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; runActive: boolean } | null>(null);

  async function save(regenerate: boolean) {
    setSaving(true);
    setError(null);
    try {
      await actions.saveEdit(step, draft, { regenerate });
      onClose();
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? { message: caught.message, runActive: caught.status === 409 }
          : { message: "Could not save the edit.", runActive: false },
      );
      setSaving(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save(false);
  }

  function keyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // The editor owns these keys while open: they must not start or stop a run.
    if (event.key === "Escape") {
      event.stopPropagation();
      onClose();
    } else if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      event.stopPropagation();
      void save(mayRun);
    }
  }

  const unchanged = draft === step.content;
  return (
    <form onSubmit={submit} className="mt-1 space-y-2" aria-label={`Edit ${step.kind === "task" ? "task" : "step"}`}>
      <textarea
        autoFocus
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={keyDown}
        aria-label="Step content"
        rows={Math.min(16, Math.max(3, draft.split("\n").length + 1))}
        className="field-sizing-content max-h-[60vh] min-h-20 w-full resize-y rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm leading-relaxed focus:border-violet-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950"
      />
      {error ? (
        <div role="alert" className="flex flex-wrap items-center gap-2 text-sm text-red-700 dark:text-red-300">
          <span>{error.message}</span>
          {error.runActive ? (
            <Button variant="secondary" className="px-2 py-0.5 text-xs" onClick={actions.stopRun}>
              Stop the run
            </Button>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        {mayRun ? (
          <Button
            variant="primary"
            className="px-2.5 py-1 text-xs"
            disabled={saving || unchanged}
            onClick={() => void save(true)}
          >
            Save & regenerate
          </Button>
        ) : null}
        <Button
          type="submit"
          variant={mayRun ? undefined : "primary"}
          className="px-2.5 py-1 text-xs"
          disabled={saving || unchanged}
        >
          Save
        </Button>
        <Button variant="ghost" className="px-2.5 py-1 text-xs" onClick={onClose}>
          Cancel
        </Button>
        <span className="text-[11px] text-zinc-500 dark:text-zinc-400">
          The original stays as an alternative. <kbd className="font-mono">Ctrl/⌘+Enter</kbd>{" "}
          {mayRun ? "saves & regenerates" : "saves"}.
        </span>
      </div>
    </form>
  );
}
