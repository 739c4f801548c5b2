"use client";

import { type ComponentProps, lazy, Suspense, useCallback, useMemo, useState } from "react";
import type { Scope } from "@/lib/auth/scopes";
import type { StreamEnded } from "@/lib/wire/shares";
import type { StartingFilesSeed } from "../editor/use-starting-files";
import { HydrateLater, laterCode } from "../ui/hydrate-later";
import { DELETED_SESSION_ACCESS, SessionAccessContext, sessionAccess } from "./session-access";
import type { ForkOrigin, SessionHeader as SessionHeaderView } from "./session-header";
import { SessionView } from "./session-view";
import type { LiveSessionSeed } from "./use-live-session";

// Not in the page's first JavaScript: the header's controls (rename, Share, the plan gate,
// delete) act on a click; its server HTML stays on screen until the code arrives (HydrateLater).
const headerCode = laterCode(() => import("./session-header").then((module) => module.SessionHeader));

function SessionHeader(props: ComponentProps<typeof SessionHeaderView>) {
  return <HydrateLater code={headerCode} props={props} />;
}

// Loads when the session is deleted while the page is open: most visits never see it.
const SessionDeleted = lazy(() => import("./session-deleted").then((module) => ({ default: module.SessionDeleted })));

/**
 * A member's session page: the header (title, model, where a fork came from, Share, the
 * plan gate's toggle, delete) above the live view, with the controls `scopes` allow
 * (SessionAccessContext: a viewer reads and comments, and sees nothing that would change
 * the session). Share shares the branch on screen, which the view reports as it changes.
 * Once the session is deleted (by anyone, while the page is open) SessionDeleted says so in
 * place of the header, with the way home, and what is on screen stays to read, without a
 * control and without what would ask the server for the session (Export, Branches, Review).
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
  const [deleted, setDeleted] = useState(false);
  // a deleted session has nothing left to act on or fetch: no control shows, nor Export, branches or review
  const access = useMemo(() => (deleted ? DELETED_SESSION_ACCESS : sessionAccess(scopes)), [scopes, deleted]);
  const onEnded = useCallback((ended: StreamEnded) => setDeleted(ended.code === "deleted"), []);
  // On wide screens the view fills the window under the 3rem app header (and its 1px border); panes scroll inside.
  return (
    <SessionAccessContext value={access}>
      <div className="flex flex-1 flex-col lg:h-[calc(100dvh-3rem-1px)] lg:flex-none lg:overflow-hidden">
        {deleted ? (
          <Suspense>
            <SessionDeleted title={seed.session.title} />
          </Suspense>
        ) : (
          <div className="border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
            <SessionHeader session={seed.session} forkOrigin={forkOrigin} leafId={leafId} />
          </div>
        )}
        <SessionView
          // A different session is a different view: start from fresh state.
          key={seed.session.id}
          {...seed}
          startingFiles={startingFiles}
          onLeafChange={setLeafId}
          onEnded={onEnded}
        />
      </div>
    </SessionAccessContext>
  );
}
