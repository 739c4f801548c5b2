"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import type { SessionSummary } from "@/lib/wire/sessions";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { useCan } from "./session-access";
import { ShareButton } from "./share-button";

/** Where a forked session came from, as its page says it: the shared session's title when this workspace holds it. */
export interface ForkOrigin {
  sessionId: string;
  stepId: string | null;
  /** null: the shared session is in another workspace (or gone) */
  title: string | null;
}

/**
 * Title (rename in place), model, where a fork came from, Share (with `shares:manage`: the
 * branch on screen, `leafId`, or the whole tree), the plan gate's toggle, and delete with
 * a confirmation; without `sessions:write` (a viewer) the title and whether the gate is
 * on, to read.
 */
export function SessionHeader({
  session,
  forkOrigin,
  leafId,
}: {
  session: SessionSummary;
  forkOrigin: ForkOrigin | null;
  leafId: string | null;
}) {
  const router = useRouter();
  const canWrite = useCan("sessions:write");
  const canShare = useCan("shares:manage");
  const [title, setTitle] = useState(session.title);
  const [draft, setDraft] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [askBeforeApplying, setAskBeforeApplying] = useState(session.settings.askBeforeApplying === true);

  async function toggleGate(on: boolean) {
    setError(null);
    setAskBeforeApplying(on);
    try {
      const { session: saved } = await api.updateSession(session.id, { askBeforeApplying: on });
      setAskBeforeApplying(saved.settings.askBeforeApplying === true);
    } catch (caught) {
      setAskBeforeApplying(!on);
      setError(errorMessage(caught, "Could not change the setting."));
    }
  }

  async function rename(event: FormEvent) {
    event.preventDefault();
    if (draft === null) return;
    setError(null);
    try {
      const { session: saved } = await api.updateSession(session.id, { title: draft });
      setTitle(saved.title);
      setDraft(null);
    } catch (caught) {
      setError(errorMessage(caught, "Could not rename the session."));
    }
  }

  async function remove() {
    try {
      await api.deleteSession(session.id);
      router.push("/");
      router.refresh();
    } catch (caught) {
      setError(errorMessage(caught, "Could not delete the session."));
      setConfirmDelete(false);
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        {!canWrite ? (
          <h1 className="min-w-0 flex-1 truncate text-lg font-semibold tracking-tight" title={title}>
            {title}
          </h1>
        ) : draft === null ? (
          <h1 className="min-w-0 flex-1 truncate text-lg font-semibold tracking-tight" title={title}>
            <button
              type="button"
              className="max-w-full truncate text-left hover:underline"
              onClick={() => setDraft(title)}
              aria-label={`Rename ${title}`}
            >
              {title}
            </button>
          </h1>
        ) : (
          <form onSubmit={rename} className="flex min-w-0 flex-1 items-center gap-2" aria-label="Rename session">
            <input
              autoFocus
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => event.key === "Escape" && setDraft(null)}
              aria-label="Session title"
              className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 text-base font-semibold dark:border-zinc-700 dark:bg-zinc-900"
            />
            <Button type="submit" variant="primary">
              Save
            </Button>
            <Button variant="ghost" onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </form>
        )}
        <span className="rounded bg-zinc-100 px-2 py-0.5 font-mono text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          {session.modelId}
        </span>
        {session.comparisonId ? (
          <Link
            href={`/compare/${session.comparisonId}`}
            className="text-xs text-violet-700 hover:underline dark:text-violet-300"
          >
            Part of a comparison
          </Link>
        ) : null}
        {forkOrigin ? <ForkedFrom origin={forkOrigin} /> : null}
        {canShare ? <ShareButton sessionId={session.id} leafId={leafId} /> : null}
        {canWrite ? null : askBeforeApplying ? (
          <span
            className="text-xs text-zinc-600 dark:text-zinc-400"
            title="Each file the model writes waits for a reviewer's approval before it is applied"
          >
            Asks before applying code
          </span>
        ) : null}
        {canWrite ? (
          <label
            className="inline-flex items-center gap-1.5 text-xs text-zinc-700 dark:text-zinc-300"
            title="Each file the model writes waits for a reviewer's approval before it is applied"
          >
            <input
              type="checkbox"
              checked={askBeforeApplying}
              onChange={(event) => void toggleGate(event.target.checked)}
              className="h-3.5 w-3.5 accent-violet-700"
            />
            Ask before applying code
          </label>
        ) : null}
        {!canWrite ? null : confirmDelete ? (
          <fieldset className="flex items-center gap-2" aria-label="Confirm delete">
            <span className="text-xs text-zinc-600 dark:text-zinc-400">Delete this session?</span>
            <Button variant="danger" onClick={remove}>
              Delete
            </Button>
            <Button variant="ghost" onClick={() => setConfirmDelete(false)}>
              Cancel
            </Button>
          </fieldset>
        ) : (
          <Button variant="ghost" onClick={() => setConfirmDelete(true)}>
            Delete
          </Button>
        )}
      </div>
      <ErrorMessage message={error} />
    </div>
  );
}

function ForkedFrom({ origin }: { origin: ForkOrigin }) {
  const className = "text-xs text-zinc-600 dark:text-zinc-400";
  if (origin.title === null) {
    return <span className={className}>Forked from a shared session</span>;
  }
  const leaf = origin.stepId ? `?leaf=${encodeURIComponent(origin.stepId)}` : "";
  return (
    <span className={`${className} min-w-0 max-w-64 truncate`}>
      Forked from{" "}
      <Link
        href={`/s/${origin.sessionId}${leaf}`}
        prefetch={false}
        className="text-violet-700 hover:underline dark:text-violet-300"
        title={origin.title}
      >
        {origin.title}
      </Link>
    </span>
  );
}
