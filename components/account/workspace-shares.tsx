"use client";

import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import type { ShareLinkView } from "@/lib/wire/shares";
import { ShareLinkList } from "../session/share-links";
import { HEADING, SECTION } from "./settings-parts";

/**
 * Settings → Share links: every read-only link to this workspace's sessions, whoever made
 * it, with Revoke. New links and re-mints are made from a session's Share dialog.
 */
export function WorkspaceShares({ shares: initial }: { shares: ShareLinkView[] }) {
  const [shares, setShares] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke(link: ShareLinkView) {
    setError(null);
    setBusy(true);
    try {
      const { share } = await api.revokeShare(link.id);
      setShares((list) => list.map((item) => (item.id === share.id ? share : item)));
    } catch (caught) {
      setError(errorMessage(caught, "Could not revoke the link."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={SECTION} aria-labelledby="shares-heading">
      <h2 id="shares-heading" className={HEADING}>
        Share links
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Read-only links to sessions of this workspace: anyone with one can watch that session without signing in. Make
        them with Share on a session.
      </p>
      <ErrorMessage message={error} />
      {shares.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No session of this workspace has been shared.</p>
      ) : (
        <ShareLinkList links={shares} showSession busy={busy} onRevoke={(link) => void revoke(link)} />
      )}
    </section>
  );
}
