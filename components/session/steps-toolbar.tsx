import { type ComponentProps, lazy, Suspense } from "react";
import type { Viewer } from "@/lib/wire/presence";
import { HydrateLater, laterCode } from "../ui/hydrate-later";
import type { BranchControls as BranchControlsView } from "./branch-controls";
import { useSessionAccess } from "./session-access";
import type { StreamStatus } from "./use-session-stream";

// The faces load when someone else opens the session (the timeline's chunk shows them on steps too).
const PresenceBar = lazy(() => import("../ui/viewer-faces").then((module) => ({ default: module.PresenceBar })));
// Not in the page's first JavaScript: the branch list and the review act on a click (and the
// review's badge once the server answers); their server HTML stays until the code arrives.
const branchControlsCode = laterCode(() => import("./branch-controls").then((module) => module.BranchControls));

function BranchControls(props: ComponentProps<typeof BranchControlsView>) {
  return <HydrateLater code={branchControlsCode} props={props} />;
}

/**
 * Above the timeline: the branch switcher and the branch's review (./branch-controls.tsx,
 * whose props it takes), how many steps the branch has, who else is viewing, and whether
 * updates arrive live. A share link's viewer gets no branch list (the
 * link may show one branch; a whole tree's alternatives are at each fork's switcher), nor
 * does the page of a deleted session (the server has no branches or review of it left).
 */
export function StepsToolbar({
  stepCount,
  connection,
  others,
  ...controls
}: ComponentProps<typeof BranchControlsView> & {
  stepCount: number;
  connection: StreamStatus;
  /** who else has the session open (presence) */
  others: readonly Viewer[];
}) {
  const { share, deleted } = useSessionAccess();
  return (
    <div className="flex items-center gap-2 border-b border-zinc-200 px-2 py-1 dark:border-zinc-800">
      {share || deleted ? null : <BranchControls {...controls} />}
      <span className="text-xs text-zinc-500 dark:text-zinc-400 tabular-nums">
        {stepCount} {stepCount === 1 ? "step" : "steps"}
      </span>
      <span className="ml-auto inline-flex items-center gap-3">
        {others.length > 0 ? (
          <Suspense>
            <PresenceBar others={others} />
          </Suspense>
        ) : null}
        <ConnectionBadge status={connection} />
      </span>
    </div>
  );
}

function ConnectionBadge({ status }: { status: StreamStatus }) {
  if (status === "ended") {
    return (
      <span className="inline-flex items-center gap-1.5 text-[11px] text-red-700 dark:text-red-400">
        <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-red-500" />
        Not updating
      </span>
    );
  }
  if (status === "live") {
    return (
      <span
        className="inline-flex items-center gap-1.5 text-[11px] text-zinc-500 dark:text-zinc-400"
        title="Receiving updates live"
      >
        <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-emerald-500" />
        Live
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-1.5 text-[11px] text-amber-700 dark:text-amber-400" role="status">
      <span aria-hidden className="h-1.5 w-1.5 animate-pulse rounded-full bg-amber-500" />
      {status === "connecting" ? "Connecting…" : "Reconnecting…"}
    </span>
  );
}
