"use client";

import type { ModelOption } from "@/lib/model/options";

export function ModelPicker({
  models,
  value,
  onChange,
  disabled,
}: {
  models: ModelOption[];
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  const selected = models.find((model) => model.id === value);
  const anyUnavailable = models.some((model) => !model.available);
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor="model" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Model
      </label>
      <select
        id="model"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        className="max-w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        {models.map((model) => (
          <option key={model.id} value={model.id} disabled={!model.available}>
            {model.label}
            {model.available ? "" : " — needs MINIMAX_API_KEY"}
          </option>
        ))}
      </select>
      {selected ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {selected.note ? `${selected.note} · ` : ""}
          {Math.round(selected.contextTokens / 1000)}k context · ${selected.inputUsdPerMTok.toFixed(2)} in / $
          {selected.outputUsdPerMTok.toFixed(2)} out per 1M tokens
        </p>
      ) : null}
      {anyUnavailable ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          To use MiniMax-M2, set <code className="font-mono">MINIMAX_API_KEY</code> in{" "}
          <code className="font-mono">.env</code> and restart.
        </p>
      ) : null}
    </div>
  );
}
