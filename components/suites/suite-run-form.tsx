"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ModelOption } from "@/lib/model/options";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";

const MAX_MODELS = 4;

/** Start a suite run: the built-in suite or a JSONL file, one to four models, how many sessions at once. */
export function SuiteRunForm({
  models,
  builtinTaskCount,
  defaultModelId,
}: {
  models: ModelOption[];
  builtinTaskCount: number;
  defaultModelId: string;
}) {
  const router = useRouter();
  const available = models.filter((model) => model.available);
  const [source, setSource] = useState<"builtin" | "jsonl">("builtin");
  const [file, setFile] = useState<File | null>(null);
  const [chosen, setChosen] = useState<string[]>(
    available.some((m) => m.id === defaultModelId) ? [defaultModelId] : [],
  );
  const [concurrency, setConcurrency] = useState(2);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function toggle(id: string) {
    setChosen((current) => (current.includes(id) ? current.filter((m) => m !== id) : [...current, id]));
  }

  async function start(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    if (source === "jsonl" && !file) {
      setError("Choose a JSONL file in HumanEval's or MBPP's layout.");
      return;
    }
    setStarting(true);
    try {
      const suite = source === "builtin" || !file ? "builtin" : { name: file.name, jsonl: await file.text() };
      const { suiteRun } = await api.startSuiteRun({ suite, modelIds: chosen, concurrency });
      router.push(`/suites/${suiteRun.id}`);
    } catch (caught) {
      setError(errorMessage(caught, "Could not start the suite run."));
      setStarting(false);
    }
  }

  return (
    <form onSubmit={(event) => void start(event)} className="space-y-4" aria-label="Start a suite run">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Tasks</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="source" checked={source === "builtin"} onChange={() => setSource("builtin")} />
          Built-in suite ({builtinTaskCount} tasks, Python and TypeScript)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="source" checked={source === "jsonl"} onChange={() => setSource("jsonl")} />
          Import JSONL (HumanEval or MBPP layout)
        </label>
        {source === "jsonl" ? (
          <input
            type="file"
            accept=".jsonl,.json,application/jsonl,text/plain"
            aria-label="JSONL file"
            className="block text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-2 file:py-1 file:text-sm dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-200"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        ) : null}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">
          Models <span className="font-normal text-zinc-500 dark:text-zinc-400">(1 to {MAX_MODELS})</span>
        </legend>
        <div className="grid gap-x-6 gap-y-2 sm:grid-cols-2">
          {available.map((model) => (
            <label key={model.id} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-[3px] shrink-0"
                checked={chosen.includes(model.id)}
                disabled={!chosen.includes(model.id) && chosen.length >= MAX_MODELS}
                onChange={() => toggle(model.id)}
              />
              <span className="min-w-0">
                <span className="whitespace-nowrap">{model.label}</span>
                {model.note ? (
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">{model.note}</span>
                ) : null}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        Sessions at once
        <input
          type="number"
          min={1}
          max={8}
          value={concurrency}
          onChange={(event) => setConcurrency(Number(event.target.value))}
          className="w-16 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
      </label>
      {error ? <ErrorMessage message={error} /> : null}
      <Button type="submit" variant="primary" disabled={starting || chosen.length === 0}>
        {starting ? "Starting…" : "Start suite run"}
      </Button>
    </form>
  );
}
