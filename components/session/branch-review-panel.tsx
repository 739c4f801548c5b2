"use client";

import { type FormEvent, useState } from "react";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import type { BranchReviewView, ReviewVerdict } from "@/lib/wire/reviews";
import { announceReviewChange } from "../app/review-signal";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { InfoMessage } from "../ui/info-message";
import { RelativeTime } from "../ui/relative-time";
import { VERDICT_LABELS } from "./verdicts";

/**
 * The branch's verdicts, oldest first, and (with `canReview`) the form to add one; its
 * verdicts wait while `growing` (a run is adding to the branch): the page's end of the branch
 * may already be a middle step (the server refuses it) or become one (the verdict would stay
 * behind on it, off the branch).
 */
export default function BranchReviewPanel({
  sessionId,
  leafId,
  reviews,
  canReview,
  growing,
  onAdded,
}: {
  sessionId: string;
  leafId: string;
  reviews: BranchReviewView[] | null;
  canReview: boolean;
  growing: boolean;
  onAdded: (review: BranchReviewView) => void;
}) {
  const [summary, setSummary] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(verdict: ReviewVerdict) {
    setBusy(true);
    setError(null);
    try {
      const { review } = await api.addBranchReview(sessionId, {
        leafId,
        verdict,
        summary: summary.trim() || undefined,
      });
      onAdded(review);
      announceReviewChange();
      setSummary("");
    } catch (caught) {
      setError(errorMessage(caught, "Could not save the review."));
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void send("changes_requested");
  }

  return (
    <div className="max-h-[70dvh] overflow-y-auto">
      <div className="border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">Review of this branch</h2>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Like a pull request: ask for review, then a reviewer approves it or asks for changes.
        </p>
      </div>
      {reviews === null ? (
        <p className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400">Loading…</p>
      ) : reviews.length === 0 ? (
        <p className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400">No reviews of this branch yet.</p>
      ) : (
        <ol aria-label="Reviews" className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {reviews.map((review) => (
            <li key={review.id} className="space-y-1 px-3 py-2">
              <div className="flex flex-wrap items-center gap-2 text-xs">
                <Badge tone={VERDICT_LABELS[review.verdict].tone}>{VERDICT_LABELS[review.verdict].label}</Badge>
                <span className="font-medium text-zinc-800 dark:text-zinc-200">{review.by ?? "Someone"}</span>
                <span className="text-zinc-500 dark:text-zinc-400">
                  <RelativeTime iso={review.createdAt} />
                </span>
              </div>
              {review.summary ? (
                <p className="text-sm break-words whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">
                  {review.summary}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {canReview ? (
        <form onSubmit={onSubmit} className="space-y-2 border-t border-zinc-200 px-3 py-2 dark:border-zinc-800">
          <label className="block text-xs font-medium text-zinc-700 dark:text-zinc-300" htmlFor="review-summary">
            Summary
          </label>
          <textarea
            id="review-summary"
            value={summary}
            onChange={(event) => setSummary(event.target.value)}
            maxLength={4000}
            rows={3}
            placeholder="What is good, what should change"
            className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
          <ErrorMessage message={error} />
          <InfoMessage
            message={growing ? "A run is still adding to this branch: review it once the run has ended." : null}
          />
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="primary" disabled={busy || growing} onClick={() => void send("approved")}>
              Approve
            </Button>
            <Button type="submit" disabled={busy || growing || summary.trim() === ""}>
              Request changes
            </Button>
            <Button type="button" variant="ghost" disabled={busy || growing} onClick={() => void send("requested")}>
              Ask for review
            </Button>
          </div>
        </form>
      ) : (
        <p className="border-t border-zinc-200 px-3 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          Your role can read reviews but not give them.
        </p>
      )}
    </div>
  );
}
