"use client";

import Link from "next/link";
import { useState } from "react";
import { STATUS_TONE } from "@/components/account/settings-parts";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ShareLinkView } from "@/lib/wire/shares";

/** How a link's scope reads in a list. */
export const SCOPE_LABEL: Readonly<Record<ShareLinkView["scope"], string>> = {
  branch: "One branch",
  tree: "Whole tree",
};

/**
 * Share links as a list (a session's in the Share dialog, the workspace's in Settings):
 * what each shares, who made it and when, when someone last opened it (to the minute),
 * when it expires, and Revoke (asked twice: every
 * viewer loses it at once) and, where offered, Re-mint (a new URL; the old stops at once).
 * Revoked and expired links stay listed, greyed, with their state.
 */
export function ShareLinkList({
  links,
  showSession = false,
  busy,
  onRevoke,
  onRemint,
}: {
  links: readonly ShareLinkView[];
  /** name the session each link opens (the workspace's list) */
  showSession?: boolean;
  busy: boolean;
  onRevoke: (link: ShareLinkView) => void;
  onRemint?: (link: ShareLinkView) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800" aria-label="Share links">
      {links.map((link) => {
        const active = link.status === "active";
        const label = `${SCOPE_LABEL[link.scope]} link${showSession ? ` to ${link.sessionTitle}` : ""}, ${link.status}`;
        return (
          <li
            key={link.id}
            aria-label={label}
            className={`flex flex-wrap items-center gap-x-3 gap-y-1 py-2 ${active ? "" : "opacity-70"}`}
          >
            <div className="min-w-0 flex-1">
              <p className="flex min-w-0 items-center gap-2">
                {showSession ? (
                  <Link
                    href={`/s/${link.sessionId}`}
                    prefetch={false}
                    className="truncate font-medium hover:underline"
                    title={link.sessionTitle}
                  >
                    {link.sessionTitle}
                  </Link>
                ) : null}
                <span className={showSession ? "shrink-0 text-xs text-zinc-500 dark:text-zinc-400" : "font-medium"}>
                  {SCOPE_LABEL[link.scope]}
                </span>
                {!active && <Badge tone={STATUS_TONE[link.status]}>{link.status}</Badge>}
              </p>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                {link.createdBy ? `by ${link.createdBy} · ` : ""}made <RelativeTime iso={link.createdAt} />
                {link.mintedAt !== link.createdAt && (
                  <>
                    {" "}
                    · re-minted <RelativeTime iso={link.mintedAt} />
                  </>
                )}
                {link.lastUsedAt ? (
                  <>
                    {" "}
                    · last opened <RelativeTime iso={link.lastUsedAt} />
                  </>
                ) : (
                  " · never opened"
                )}
                {active &&
                  (link.expiresAt ? (
                    <>
                      {" "}
                      · expires <RelativeTime iso={link.expiresAt} />
                    </>
                  ) : (
                    " · never expires"
                  ))}
              </p>
            </div>
            {active &&
              (confirming === link.id ? (
                <fieldset className="flex items-center gap-2" aria-label="Confirm revoking">
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">Everyone with it loses access.</span>
                  <Button
                    variant="danger"
                    className="px-2 py-1 text-xs"
                    disabled={busy}
                    onClick={() => {
                      setConfirming(null);
                      onRevoke(link);
                    }}
                  >
                    Revoke link
                  </Button>
                  <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setConfirming(null)}>
                    Cancel
                  </Button>
                </fieldset>
              ) : (
                <span className="flex items-center gap-2">
                  {onRemint && (
                    <Button
                      className="px-2 py-1 text-xs"
                      disabled={busy}
                      title="A new URL for this link: the old one stops working at once"
                      onClick={() => onRemint(link)}
                    >
                      Re-mint
                    </Button>
                  )}
                  <Button
                    className="px-2 py-1 text-xs text-red-700 dark:text-red-400"
                    onClick={() => setConfirming(link.id)}
                  >
                    Revoke…
                  </Button>
                </span>
              ))}
          </li>
        );
      })}
    </ul>
  );
}
