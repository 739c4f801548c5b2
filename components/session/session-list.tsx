"use client";

import Link from "next/link";
import { useState } from "react";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import type { SessionSummary } from "@/lib/wire/sessions";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { RelativeTime } from "../ui/relative-time";

/**
 * The workspace's sessions, newest first, each a link to its page; with `canDelete`
 * (`sessions:write`) each has Delete, asked twice.
 */
export function SessionList({ initial, canDelete }: { initial: SessionSummary[]; canDelete: boolean }) {
  const [sessions, setSessions] = useState(initial);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(id: string) {
    setError(null);
    try {
      await api.deleteSession(id);
      setSessions((list) => list.filter((session) => session.id !== id));
    } catch (caught) {
      setError(errorMessage(caught, "Could not delete the session."));
    } finally {
      setConfirming(null);
    }
  }

  if (sessions.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:text-zinc-400 dark:border-zinc-700">
        {canDelete
          ? "No sessions yet. Describe a coding task above and watch the model think it through."
          : "No sessions yet."}
      </div>
    );
  }

  return (
    <div className="space-y-2">
      <ErrorMessage message={error} />
      <ul className="divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
        {sessions.map((session) => (
          <li key={session.id} className="flex items-center gap-3 px-4 py-3">
            <div className="min-w-0 flex-1">
              <Link
                href={`/s/${session.id}`}
                className="block truncate font-medium hover:text-violet-700 dark:hover:text-violet-300"
              >
                {session.title}
              </Link>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                {session.modelId} · <RelativeTime iso={session.createdAt} />
              </p>
            </div>
            {!canDelete ? null : confirming === session.id ? (
              <fieldset className="flex items-center gap-2" aria-label="Confirm delete">
                <span className="text-xs text-zinc-600 dark:text-zinc-400">Delete this session and all its steps?</span>
                <Button variant="danger" onClick={() => remove(session.id)}>
                  Delete
                </Button>
                <Button variant="ghost" onClick={() => setConfirming(null)}>
                  Cancel
                </Button>
              </fieldset>
            ) : (
              <Button variant="ghost" aria-label={`Delete ${session.title}`} onClick={() => setConfirming(session.id)}>
                Delete
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
