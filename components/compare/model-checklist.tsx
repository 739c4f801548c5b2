"use client";

import { MAX_COMPARED, MIN_COMPARED } from "@/lib/compare/limits";
import type { ModelOption } from "@/lib/model/options";
import { groupModels } from "../session/model-picker";

/** Compare's model choice: 2–4 checkboxes, grouped by provider; unavailable models say which variable enables them. */
export function ModelChecklist({
  models,
  value,
  onChange,
}: {
  models: ModelOption[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  const full = value.length >= MAX_COMPARED;
  return (
    <fieldset className="min-w-0 space-y-2">
      <legend className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Models to compare ({value.length} of {MIN_COMPARED}–{MAX_COMPARED})
      </legend>
      <div className="grid gap-x-6 gap-y-2 sm:grid-cols-2">
        {groupModels(models).map(({ group, models: members }) => (
          <div key={group} className="space-y-1">
            <p className="text-[11px] font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
              {group}
            </p>
            {members.map((model) => {
              const checked = value.includes(model.id);
              return (
                <label
                  key={model.id}
                  className={`flex items-start gap-2 text-sm ${model.available ? "" : "text-zinc-500 dark:text-zinc-400"}`}
                >
                  <input
                    type="checkbox"
                    checked={checked}
                    disabled={!model.available || (full && !checked)}
                    onChange={(event) =>
                      onChange(event.target.checked ? [...value, model.id] : value.filter((id) => id !== model.id))
                    }
                    className="mt-0.5 h-4 w-4 shrink-0 accent-violet-700"
                  />
                  <span>
                    {model.label}
                    {model.available ? null : <span className="block text-xs">set {model.enabledBy}</span>}
                  </span>
                </label>
              );
            })}
          </div>
        ))}
      </div>
    </fieldset>
  );
}
