"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import type { ModelOption } from "@/lib/model/options";
import { MAX_TASK_LENGTH } from "@/lib/sessions/limits";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import { ModelChecklist } from "../compare/model-checklist";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { ModelPicker } from "./model-picker";
import { type PickedFile, ProjectPicker } from "./project-picker";

export function NewSessionForm({ models, defaultModelId }: { models: ModelOption[]; defaultModelId: string }) {
  const router = useRouter();
  const [task, setTask] = useState("");
  const [modelId, setModelId] = useState(defaultModelId);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [comparing, setComparing] = useState(false);
  const [compared, setCompared] = useState<string[]>(() =>
    models.some((model) => model.id === defaultModelId && model.available) ? [defaultModelId] : [],
  );

  /** The multipart form the API takes with starting files (docs/api.md). */
  function formWith(picked: PickedFile[]): FormData {
    const form = new FormData();
    form.set("task", task);
    form.set("modelId", modelId);
    for (const file of picked) {
      form.append("file", file.blob, file.path.split("/").pop());
      form.append("path", file.path);
    }
    return form;
  }

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (comparing) return compare();
    setPending(true);
    setError(null);
    try {
      const { session } = await api.createSession(files.length === 0 ? { task, modelId } : formWith(files));
      router.push(`/s/${session.id}`);
    } catch (caught) {
      setError(errorMessage(caught, "Could not create the session."));
      setPending(false);
    }
  }

  /** Compare: one session per checked model, linked, all started; then the side-by-side page. */
  async function compare() {
    if (files.length > 0) {
      setError("Compare starts every model from an empty project: remove the starting files, or start one session.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      const { comparison } = await api.createComparison({ task, modelIds: compared });
      router.push(`/compare/${comparison.id}`);
    } catch (caught) {
      setError(errorMessage(caught, "Could not start the comparison."));
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="New session">
      <label htmlFor="task" className="block text-sm font-medium">
        Coding task
      </label>
      <textarea
        id="task"
        name="task"
        value={task}
        onChange={(event) => setTask(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) void submit();
        }}
        rows={5}
        placeholder="e.g. Write a TypeScript function that sums two numbers, with tests, then fix any bug you find."
        className="w-full resize-y rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-zinc-400 focus:border-violet-500 focus:outline-none focus:ring-2 focus:ring-violet-500/30 dark:border-zinc-700 dark:bg-zinc-900"
      />
      <ProjectPicker files={files} onChange={setFiles} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0 space-y-2">
          {comparing ? (
            <ModelChecklist models={models} value={compared} onChange={setCompared} />
          ) : (
            <ModelPicker models={models} value={modelId} onChange={setModelId} />
          )}
          <label className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <input
              type="checkbox"
              checked={comparing}
              onChange={(event) => setComparing(event.target.checked)}
              className="h-4 w-4 accent-violet-700"
            />
            Compare models: run this task on 2–4 models side by side
          </label>
        </div>
        <div className="flex items-center gap-3">
          <span
            className={`text-xs ${task.length > MAX_TASK_LENGTH ? "text-red-700" : "text-zinc-500 dark:text-zinc-400"}`}
          >
            {task.length.toLocaleString("en-US")} / {MAX_TASK_LENGTH.toLocaleString("en-US")}
          </span>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending
              ? "Creating…"
              : comparing
                ? `Compare ${compared.length} model${compared.length === 1 ? "" : "s"}`
                : "New session"}
            <kbd aria-hidden className="hidden text-[10px] font-normal text-violet-100 sm:inline">
              Ctrl ↵
            </kbd>
          </Button>
        </div>
      </div>
      <ErrorMessage message={error} />
    </form>
  );
}
