"use client";

import { useState } from "react";
import { apiFetch } from "@/lib/wire/client";

/**
 * A session of another workspace the person is in, opened while their browser works in
 * this one: names that workspace and switches there, then shows the session.
 */
export function SwitchToWorkspace({ workspace }: { workspace: { id: string; name: string } }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function switchThere() {
    setBusy(true);
    setError(null);
    try {
      await apiFetch("/api/account/workspace", { method: "POST", json: { workspaceId: workspace.id } });
      window.location.reload();
    } catch (failure) {
      setBusy(false);
      setError(failure instanceof Error ? failure.message : "Couldn't switch workspace.");
    }
  }
  return (
    <div className="mx-auto max-w-md space-y-3 px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">This session is in another of your workspaces</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        It belongs to <span className="font-medium text-zinc-900 dark:text-zinc-100">{workspace.name}</span>; this
        browser is working in another workspace.
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={() => void switchThere()}
        className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60 dark:bg-violet-600 dark:hover:bg-violet-500"
      >
        Switch to {workspace.name}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
