import Link from "next/link";
import type { PendingApproval } from "@/lib/wire/approvals";
import { RelativeTime } from "../ui/relative-time";

/**
 * The workspace's file writes waiting for a reviewer (the plan gate), newest first, each a
 * link to its step. Nothing when none waits.
 */
export function PendingApprovals({ approvals }: { approvals: readonly PendingApproval[] }) {
  if (approvals.length === 0) return null;
  return (
    <section className="space-y-3" aria-labelledby="approvals-heading">
      <h2
        id="approvals-heading"
        className="flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400"
      >
        Waiting for approval
        <span className="rounded-full bg-sky-100 px-2 py-px text-xs font-semibold text-sky-800 normal-case dark:bg-sky-950 dark:text-sky-300">
          {approvals.length}
          <span className="sr-only"> pending</span>
        </span>
      </h2>
      <ul className="divide-y divide-zinc-200 rounded-lg border border-sky-200 bg-white dark:divide-zinc-800 dark:border-sky-900 dark:bg-zinc-900">
        {approvals.map((approval) => (
          <li key={approval.id}>
            <Link
              href={`/s/${approval.sessionId}?leaf=${approval.stepId}`}
              prefetch={false}
              className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 px-4 py-2.5 hover:bg-sky-50 dark:hover:bg-sky-950/30"
            >
              <span className="min-w-0 flex-1 truncate text-sm font-medium">{approval.sessionTitle}</span>
              <span className="font-mono text-xs text-sky-700 dark:text-sky-300">{approval.toolName}</span>
              {approval.path ? (
                <span className="truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{approval.path}</span>
              ) : null}
              <span className="text-xs text-zinc-500 dark:text-zinc-400">
                <RelativeTime iso={approval.createdAt} />
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
