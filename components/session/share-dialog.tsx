"use client";

import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { EXPIRY_CHOICES, expiryDays } from "@/components/account/expiry";
import { CopyField } from "@/components/account/settings-parts";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import type { MintedShareLink, ShareLinkView, ShareScope } from "@/lib/wire/shares";
import { ShareLinkList } from "./share-links";

const SELECT_CLASS =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/**
 * The Share dialog (./share-button.tsx opens it), modal from the moment it mounts: it makes
 * a read-only link to the branch on screen or to the whole tree, optionally expiring, and
 * shows its URL once with Copy; below, the session's links with Re-mint (a new URL, shown
 * once; the old one stops at once, also for viewers already watching) and Revoke.
 * `onClose` hears that the person closed it (Escape, ✕).
 */
export default function ShareDialog({
  sessionId,
  leafId,
  onClose,
}: {
  sessionId: string;
  leafId: string | null;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [links, setLinks] = useState<ShareLinkView[] | null>(null);
  const [minted, setMinted] = useState<{ url: string; what: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setLinks((await api.sessionShares(sessionId)).shares);
    } catch (caught) {
      setError(errorMessage(caught, "Could not list this session's links."));
    }
  }, [sessionId]);

  useEffect(() => {
    dialog.current?.showModal();
    void load();
  }, [load]);

  async function act(work: () => Promise<void>, fallback: string) {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (caught) {
      setError(errorMessage(caught, fallback));
    } finally {
      setBusy(false);
    }
  }

  const showMinted = (result: MintedShareLink, what: string) =>
    setMinted({ url: `${window.location.origin}${result.path}`, what });

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const scope = data.get("share-scope") as ShareScope;
    void act(async () => {
      const result = await api.createShare(sessionId, {
        scope,
        ...(scope === "branch" && leafId ? { leafId } : {}),
        expiresInDays: expiryDays(String(data.get("share-expiry") ?? "")),
      });
      showMinted(result, "New link");
      setLinks((list) => [result.link, ...(list ?? [])]);
    }, "Could not make the link.");
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="share-title"
      onClose={onClose}
      className="m-auto w-[min(40rem,calc(100vw-2rem))] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="space-y-4 p-5">
        <div className="flex items-start gap-3">
          <div className="min-w-0 flex-1">
            <h2 id="share-title" className="text-lg font-semibold tracking-tight">
              Share this session
            </h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Anyone with the link can watch it, read-only and live, without signing in. They see the steps and files it
              shares, nothing else of this workspace.
            </p>
          </div>
          <Button variant="ghost" className="px-2 py-1" aria-label="Close" onClick={() => dialog.current?.close()}>
            ✕
          </Button>
        </div>

        <form onSubmit={create} className="space-y-3" aria-label="New share link">
          <fieldset className="space-y-1.5">
            <legend className="mb-1 text-sm font-medium">What to share</legend>
            <label className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="share-scope"
                value="branch"
                defaultChecked
                disabled={leafId === null}
                className="mt-1"
              />
              <span>
                The branch on screen
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                  Its steps, and whatever runs add after them. Other branches stay private.
                </span>
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm">
              <input type="radio" name="share-scope" value="tree" className="mt-1" />
              <span>
                The whole tree
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                  Every branch, with edits and regenerations.
                </span>
              </span>
            </label>
          </fieldset>
          <div className="flex flex-wrap items-end gap-2">
            <div className="space-y-1">
              <label htmlFor="share-expiry" className="block text-sm font-medium">
                Link expires
              </label>
              <select id="share-expiry" name="share-expiry" defaultValue="" className={SELECT_CLASS}>
                {EXPIRY_CHOICES.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit" variant="primary" disabled={busy}>
              Create link
            </Button>
          </div>
        </form>

        <ErrorMessage message={error} />
        {minted && (
          <div
            role="status"
            aria-label="Share link"
            className="space-y-2 rounded-md border border-violet-200 bg-violet-50 p-3 dark:border-violet-900 dark:bg-violet-950/40"
          >
            <p className="text-sm font-medium">{minted.what}: copy it now, it is shown only this once.</p>
            <CopyField label="Share URL" value={minted.url} />
          </div>
        )}

        <div className="space-y-1">
          <h3 className="text-sm font-semibold">Links to this session</h3>
          {links === null ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading…</p>
          ) : links.length === 0 ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">None yet.</p>
          ) : (
            <div className="max-h-72 overflow-y-auto">
              <ShareLinkList
                links={links}
                busy={busy}
                onRevoke={(link) =>
                  void act(async () => {
                    const { share } = await api.revokeShare(link.id);
                    setLinks((list) => (list ?? []).map((item) => (item.id === share.id ? share : item)));
                    if (minted) setMinted(null);
                  }, "Could not revoke the link.")
                }
                onRemint={(link) =>
                  void act(async () => {
                    const result = await api.remintShare(link.id);
                    showMinted(result, "New URL (the old one no longer works)");
                    setLinks((list) => (list ?? []).map((item) => (item.id === result.link.id ? result.link : item)));
                  }, "Could not re-mint the link.")
                }
              />
            </div>
          )}
        </div>
      </div>
    </dialog>
  );
}
