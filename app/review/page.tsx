import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { reviewQueue } from "@/lib/db/reviews";
import { workspacePageCaller } from "@/lib/http/page-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Needs review" };

/** The workspace's "Needs review" queue: branches asking for review and runs waiting for an approval, newest first. */
export default async function ReviewPage() {
  const caller = await workspacePageCaller("sessions:read");
  const { items, counts } = await reviewQueue({ workspaceId: caller.workspaceId });
  return (
    <div className="mx-auto w-full max-w-3xl space-y-6 px-4 py-8">
      <section className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Needs review</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Branches someone asked you to review, and runs paused until someone approves the code they want to write.
          Newest first.
        </p>
        <p className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
          {counts.branches} {counts.branches === 1 ? "branch" : "branches"} · {counts.approvals}{" "}
          {counts.approvals === 1 ? "approval" : "approvals"}
        </p>
      </section>
      {items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          Nothing waits for review. Ask for a review from a session&apos;s Review menu; runs with “Ask before applying
          code” on appear here while they wait for an approval.
        </p>
      ) : (
        <ul
          aria-label="Waiting for review"
          className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {items.map((item) => (
            <li key={item.kind === "branch" ? item.review.id : item.runId}>
              <Link
                href={item.kind === "branch" ? `/s/${item.sessionId}?leaf=${item.leafId}` : `/s/${item.sessionId}`}
                prefetch={false}
                className="flex flex-col gap-1 px-3 py-2 hover:bg-zinc-50 dark:hover:bg-zinc-900"
              >
                <span className="flex flex-wrap items-center gap-2 text-sm">
                  <Badge tone={item.kind === "branch" ? "info" : "warning"}>
                    {item.kind === "branch" ? "Branch review" : "Approval"}
                  </Badge>
                  <span className="min-w-0 flex-1 truncate font-medium">{item.sessionTitle || "Untitled session"}</span>
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">
                    <RelativeTime iso={item.at} />
                  </span>
                </span>
                <span className="text-xs text-zinc-600 dark:text-zinc-400">
                  {item.kind === "branch"
                    ? `${item.review.by ?? "Someone"} asked for a review${item.review.summary ? `: ${item.review.summary}` : ""}`
                    : "A run waits for someone to approve, edit or reject a change."}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
