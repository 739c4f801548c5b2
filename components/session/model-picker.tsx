"use client";

import type { ModelOption } from "@/lib/model/options";

/** The models in picker order, grouped by provider ("MiniMax", "OpenAI", …), groups in first-seen order. */
export function groupModels(models: readonly ModelOption[]): { group: string; models: ModelOption[] }[] {
  const groups = new Map<string, ModelOption[]>();
  for (const model of models) groups.set(model.group, [...(groups.get(model.group) ?? []), model]);
  return [...groups].map(([group, members]) => ({ group, models: members }));
}

/** "$0.30 in / $1.20 out per 1M tokens", or that no price is known. */
export function priceLine(model: ModelOption): string {
  if (model.inputUsdPerMTok === null || model.outputUsdPerMTok === null) return "no price known";
  return `$${model.inputUsdPerMTok.toFixed(2)} in / $${model.outputUsdPerMTok.toFixed(2)} out per 1M tokens`;
}

/** "205k" or "1M" context. */
export function contextLine(model: ModelOption): string {
  return model.contextTokens >= 1_000_000
    ? `${Number((model.contextTokens / 1_000_000).toFixed(1))}M context`
    : `${Math.round(model.contextTokens / 1000)}k context`;
}

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
  const unavailable = models.filter((model) => !model.available && model.enabledBy);
  const needed = [...new Set(unavailable.map((model) => model.enabledBy))];
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
        {groupModels(models).map(({ group, models: members }) => (
          <optgroup key={group} label={group}>
            {members.map((model) => (
              <option key={model.id} value={model.id} disabled={!model.available}>
                {model.label}
                {model.available ? "" : ` — set ${model.enabledBy}`}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {selected ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {selected.note ? `${selected.note} · ` : ""}
          {contextLine(selected)} · {priceLine(selected)}
        </p>
      ) : null}
      {needed.length > 0 ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          More models: set {needed.join(", ")} in <code className="font-mono">.env</code> and restart (see{" "}
          <code className="font-mono">.env.example</code>).
        </p>
      ) : null}
    </div>
  );
}
