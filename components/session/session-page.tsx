"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import type { Scope } from "@/lib/auth/scopes";
import type { StartingFilesSeed } from "../editor/use-starting-files";
import { SessionAccessContext, sessionAccess } from "./session-access";
import { SessionHeader } from "./session-header";
import { SessionView } from "./session-view";
import { ShareButton } from "./share-button";
import type { LiveSessionSeed } from "./use-live-session";

/** Where a forked session came from, as its page says it: the shared session's title when this workspace holds it. */
export interface ForkOrigin {
  sessionId: string;
  stepId: string | null;
  /** null: the shared session is in another workspace (or gone) */
  title: string | null;
}

/**
 * A member's session page: the header (title, model, where a fork came from, Share, the
 * plan gate's toggle, delete) above the live view, with the controls `scopes` allow
 * (SessionAccessContext: a viewer reads and comments, and sees nothing that would change
 * the session). Share shares the branch on screen, which the view reports as it changes.
 */
export function SessionPage({
  scopes,
  forkOrigin,
  startingFiles,
  ...seed
}: LiveSessionSeed & {
  /** the scopes the person holds in the session's workspace (lib/auth/scopes.ts) */
  scopes: readonly Scope[];
  forkOrigin: ForkOrigin | null;
  startingFiles: StartingFilesSeed;
}) {
  const [leafId, setLeafId] = useState(seed.branch.leafId);
  const access = useMemo(() => sessionAccess(scopes), [scopes]);
  // On wide screens the view fills the window under the 3rem app header (and its 1px border); panes scroll inside.
  return (
    <SessionAccessContext value={access}>
      <div className="flex flex-1 flex-col lg:h-[calc(100dvh-3rem-1px)] lg:flex-none lg:overflow-hidden">
        <div className="border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
          <SessionHeader session={seed.session}>
            {forkOrigin ? <ForkedFrom origin={forkOrigin} /> : null}
            {access.scopes.has("shares:manage") ? <ShareButton sessionId={seed.session.id} leafId={leafId} /> : null}
          </SessionHeader>
        </div>
        <SessionView
          // A different session is a different view: start from fresh state.
          key={seed.session.id}
          {...seed}
          startingFiles={startingFiles}
          onLeafChange={setLeafId}
        />
      </div>
    </SessionAccessContext>
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
