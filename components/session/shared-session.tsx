"use client";

import { useEffect, useRef, useState } from "react";
import type { Scope } from "@/lib/auth/scopes";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import type { ShareScope } from "@/lib/wire/shares";
import type { StartingFilesSeed } from "../editor/use-starting-files";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { SessionAccessContext, sessionAccess } from "./session-access";
import { SessionView } from "./session-view";
import type { LiveSessionSeed } from "./use-live-session";

/** The share page's address with `?fork=1`: where a visitor comes back to, signed in, to finish a fork. */
export const forkReturnPath = (token: string) => `/share/${token}?fork=1`;

/**
 * A share link's page: its own thin bar (no app header, workspace, other sessions or
 * settings) with the session's title, what the link shares, and "Fork to my workspace";
 * below it the session view, read-only, following the run live with the link's token.
 * Forking needs an account: a visitor without one gets a guest account first (or signs
 * in, when guests are off) and comes back here with `?fork=1` to fork at once.
 */
export function SharedSession({
  token,
  scope,
  scopes,
  startingFiles,
  signedIn,
  guests,
  forkNow,
  ...seed
}: LiveSessionSeed & {
  token: string;
  scope: ShareScope;
  /** what the link's caller may do: read (lib/auth/credentials.ts) */
  scopes: readonly Scope[];
  startingFiles: StartingFilesSeed;
  signedIn: boolean;
  guests: boolean;
  /** the visitor came back from getting an account to fork */
  forkNow: boolean;
}) {
  const [leafId, setLeafId] = useState(seed.branch.leafId);
  const [forking, setForking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const access = useRef(sessionAccess(scopes, token)).current;

  async function fork() {
    if (!signedIn) {
      const back = encodeURIComponent(forkReturnPath(token));
      window.location.assign(guests ? `/api/auth/guest?next=${back}` : `/sign-in?next=${back}`);
      return;
    }
    setError(null);
    setForking(true);
    try {
      const { session } = await api.forkShared({ token, ...(leafId ? { leafId } : {}) });
      window.location.assign(`/s/${session.id}`);
    } catch (caught) {
      setError(errorMessage(caught, "Could not fork the session."));
      setForking(false);
    }
  }

  const forked = useRef(false);
  useEffect(() => {
    if (!forkNow || forked.current) return;
    forked.current = true;
    // The address no longer asks for a fork: reloading the new page must not fork again.
    window.history.replaceState(window.history.state, "", `/share/${token}`);
    void fork();
  });

  return (
    <SessionAccessContext value={access}>
      <div className="flex flex-1 flex-col lg:h-dvh lg:flex-none lg:overflow-hidden">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
          <span
            aria-hidden
            className="inline-block h-4 w-4 shrink-0 rounded-sm bg-gradient-to-br from-violet-500 to-sky-500"
          />
          <h1 className="min-w-0 flex-1 truncate text-lg font-semibold tracking-tight" title={seed.session.title}>
            {seed.session.title}
          </h1>
          <span className="rounded bg-zinc-100 px-2 py-0.5 font-mono text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            {seed.session.modelId}
          </span>
          <span className="text-xs text-zinc-600 dark:text-zinc-400">
            Shared read-only · {scope === "branch" ? "one branch" : "every branch"}
          </span>
          <Button
            variant="primary"
            disabled={forking}
            onClick={() => void fork()}
            title="Copy the branch on screen into a session of your own, to run and edit from there"
          >
            {forking ? "Forking…" : "Fork to my workspace"}
          </Button>
        </div>
        {error ? (
          <div className="px-4 pt-2">
            <ErrorMessage message={error} />
          </div>
        ) : null}
        <SessionView key={seed.session.id} {...seed} startingFiles={startingFiles} onLeafChange={setLeafId} />
      </div>
    </SessionAccessContext>
  );
}
