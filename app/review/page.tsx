import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { reviewQueue } from "@/lib/db/reviews";
import { workspacePageCaller } from "@/lib/http/page-caller";
import { type QueueKinds, queueKindsOf } from "@/lib/review/queue-kinds";
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

/** The counts of the kinds the caller can act on, the others left out (a viewer's queue has open comments only). */
function countsLine({ counts }: ReviewQueue, kinds: QueueKinds) {
  const parts = [
    kinds.branches && plural(counts.branches, "branch", "branches"),
    kinds.approvals && plural(counts.approvals, "approval", "approvals"),
    kinds.comments && plural(counts.comments, "open comment", "open comments"),
  ].filter((part) => typeof part === "string");
  if (counts.mentions > 0) parts.push(`${plural(counts.mentions, "mentions", "mention")} you`);
  return parts.join(" · ");
}

/** What the queue holds for the caller, in words: only the kinds they can act on. */
function introOf(kinds: QueueKinds) {
  const parts = [
    kinds.branches && "branches someone asked you to review",
    kinds.approvals && "runs paused until someone approves the code they want to write",
    kinds.comments && "comment threads nobody has resolved yet",
  ].filter((part) => typeof part === "string");
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "nothing");
  return `${listed.charAt(0).toUpperCase()}${listed.slice(1)}. Newest first.`;
}

/**
 * The workspace's "Needs review" queue: branches asking for review, runs waiting for an
 * approval and open comment threads (those that @mention you marked), newest first — of
 * the kinds the caller can act on, as the header's count (lib/review/queue-kinds.ts).
 */
export default async function ReviewPage() {
  const caller = await workspacePageCaller("sessions:read");
  const kinds = queueKindsOf(caller);
  const queue = await reviewQueue({ workspaceId: caller.workspaceId, userId: caller.userId, kinds });
  return (
    <div className="mx-auto w-full max-w-3xl space-y-6 px-4 py-8">
      <section className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Needs review</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{introOf(kinds)}</p>
        {kinds.approvals ? null : (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Your role can&apos;t approve runs{kinds.branches ? "" : " or review branches"}, so those are not listed.
          </p>
        )}
        <p className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">{countsLine(queue, kinds)}</p>
      </section>
      {queue.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          {kinds.approvals
            ? "Nothing waits for review. Ask for a review from a session’s Review menu; runs with “Ask before applying code” on appear here while they wait for an approval, and comment threads until someone resolves them."
            : "Nothing waits for you. Open comment threads appear here until someone resolves them."}
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
