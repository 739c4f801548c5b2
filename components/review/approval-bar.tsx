"use client";

import { type FormEvent, useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import { errorMessage } from "@/lib/wire/client";
import { useCan } from "../session/session-access";
import type { StepActions } from "../timeline/step-actions";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";

/**
 * Under a file write the plan gate paused: what waits, and — for someone who may decide —
 * Approve, Edit then approve (in the Diff tab's editor) and Reject with a comment. Whatever
 * is decided reaches the model as this call's result, so its earlier thinking is kept.
 */
export function ApprovalBar({ step, actions }: { step: StepNode; actions: StepActions }) {
  const canDecide = useCan("approvals:decide");
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(body: Parameters<StepActions["decide"]>[1]) {
    setBusy(true);
    setError(null);
    try {
      await actions.decide(step.id, body);
    } catch (caught) {
      setError(errorMessage(caught, "Could not record the decision."));
    } finally {
      setBusy(false);
    }
  }

  function reject(event: FormEvent) {
    event.preventDefault();
    void send({ decision: "reject", comment });
  }

  return (
    <section
      aria-label="Waiting for approval"
      className="mt-2 space-y-2 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100"
    >
      <p>
        <span className="font-medium">This change waits for a reviewer.</span> The run is paused; nothing is written
        until someone approves it.{" "}
        <button
          type="button"
          className="font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300"
          onClick={() => actions.select(step.id)}
        >
          See the diff
        </button>
      </p>
      {canDecide ? (
        rejecting ? (
          <form onSubmit={reject} className="space-y-2" aria-label="Reject the change">
            <label className="block text-xs font-medium" htmlFor={`reject-${step.id}`}>
              Why? The model reads your comment as this call's result and plans again.
            </label>
            <textarea
              id={`reject-${step.id}`}
              autoFocus
              rows={3}
              value={comment}
              onChange={(event) => setComment(event.target.value)}
              className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
            />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="danger" disabled={busy || comment.trim() === ""}>
                Reject and tell the model
              </Button>
              <Button variant="ghost" onClick={() => setRejecting(false)} disabled={busy}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <div className="flex flex-wrap gap-2">
            <Button variant="primary" onClick={() => void send({ decision: "approve" })} disabled={busy}>
              Approve
            </Button>
            <Button onClick={() => actions.reviewInEditor(step.id)} disabled={busy}>
              Edit, then approve
            </Button>
            <Button variant="ghost" onClick={() => setRejecting(true)} disabled={busy}>
              Reject…
            </Button>
          </div>
        )
      ) : (
        <p className="text-xs text-sky-800 dark:text-sky-300">A member of the workspace can approve or reject it.</p>
      )}
      <ErrorMessage message={error} />
    </section>
  );
}

/** On a decided call's result: who decided what. */
export function ReviewBadge({ step }: { step: StepNode }) {
  const review = step.providerData?.review;
  if (!review) return null;
  const by = review.by ? ` by ${review.by}` : "";
  if (review.decision === "rejected") return <Badge tone="danger">rejected{by}</Badge>;
  if (review.decision === "edited") return <Badge tone="warning">edited and approved{by}</Badge>;
  return <Badge tone="success">approved{by}</Badge>;
}
