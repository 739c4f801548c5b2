import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { reviewQueue } from "@/lib/db/reviews";
import { workspacePageCaller } from "@/lib/http/page-caller";
import type { ReviewQueue, ReviewQueueItem } from "@/lib/wire/reviews";

export const dynamic = "force-dynamic";

export const metadata = { title: "Needs review" };

/** How an item of the queue shows: its badge, where it leads, and what waits, in words. */
function rowOf(item: ReviewQueueItem): { key: string; badge: string; tone: BadgeTone; href: string; what: string } {
  switch (item.kind) {
    case "branch":
      return {
        key: item.review.id,
        badge: "Branch review",
        tone: "info",
        href: `/s/${item.sessionId}?leaf=${item.leafId}`,
        what: `${item.review.by ?? "Someone"} asked for a review${item.review.summary ? `: ${item.review.summary}` : ""}`,
      };
    case "approval":
      return {
        key: item.runId,
        badge: "Approval",
        tone: "warning",
        href: `/s/${item.sessionId}`,
        what: "A run waits for someone to approve, edit or reject a change.",
      };
    case "comment": {
      const replies = item.replies === 0 ? "" : ` · ${item.replies} ${item.replies === 1 ? "reply" : "replies"}`;
      return {
        key: item.commentId,
        badge: item.mentionsYou ? "Mentions you" : "Open comment",
        tone: item.mentionsYou ? "progress" : "neutral",
        // the thread's step: its branch, the step selected so its threads show
        href: `/s/${item.sessionId}?leaf=${item.stepId}&step=${item.stepId}`,
        what: `${item.authorName}: ${item.excerpt || "(a deleted comment)"}${replies}`,
      };
    }
  }
}

function plural(count: number, one: string, many: string) {
  return `${count} ${count === 1 ? one : many}`;
}

function countsLine({ counts }: ReviewQueue) {
  const parts = [
    plural(counts.branches, "branch", "branches"),
    plural(counts.approvals, "approval", "approvals"),
    plural(counts.comments, "open comment", "open comments"),
  ];
  if (counts.mentions > 0) parts.push(`${plural(counts.mentions, "mentions", "mention")} you`);
  return parts.join(" · ");
}

/**
 * The workspace's "Needs review" queue: branches asking for review, runs waiting for an
 * approval and open comment threads (those that @mention you marked), newest first.
 */
export default async function ReviewPage() {
  const caller = await workspacePageCaller("sessions:read");
  const queue = await reviewQueue({ workspaceId: caller.workspaceId, userId: caller.userId });
  return (
    <div className="mx-auto w-full max-w-3xl space-y-6 px-4 py-8">
      <section className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Needs review</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Branches someone asked you to review, runs paused until someone approves the code they want to write, and
          comment threads nobody has resolved yet. Newest first.
        </p>
        <p className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">{countsLine(queue)}</p>
      </section>
      {queue.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          Nothing waits for review. Ask for a review from a session&apos;s Review menu; runs with “Ask before applying
          code” on appear here while they wait for an approval, and comment threads until someone resolves them.
        </p>
      ) : (
        <ul
          aria-label="Waiting for review"
          className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {queue.items.map((item) => {
            const { key, badge, tone, href, what } = rowOf(item);
            return (
              <li key={key}>
                <Link
                  href={href}
                  prefetch={false}
                  className="flex flex-col gap-1 px-3 py-2 hover:bg-zinc-50 dark:hover:bg-zinc-900"
                >
                  <span className="flex flex-wrap items-center gap-2 text-sm">
                    <Badge tone={tone}>{badge}</Badge>
                    <span className="min-w-0 flex-1 truncate font-medium">
                      {item.sessionTitle || "Untitled session"}
                    </span>
                    <span className="text-xs text-zinc-500 dark:text-zinc-400">
                      <RelativeTime iso={item.at} />
                    </span>
                  </span>
                  <span className="line-clamp-2 text-xs text-zinc-600 dark:text-zinc-400">{what}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
