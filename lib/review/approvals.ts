import "server-only";
import { acceptingRuns, serverStopping } from "@/lib/agent/active-runs";
import { continueRun } from "@/lib/agent/run";
import { runLease } from "@/lib/agent/run-lease";
import type { Caller } from "@/lib/auth/scopes";
import { type Decided, decideApproval, readApproval } from "@/lib/db/approvals";
import { AppError } from "@/lib/http/errors";
import { getSessionBus } from "@/lib/realtime/bus";
import type { DecideApprovalBody } from "@/lib/wire/approvals";
import type { SessionSummary } from "@/lib/wire/sessions";

/**
 * A reviewer's decision on a paused file write (the plan gate, issue 12 item 2). The
 * decision, the run taken back (running, leased to this instance) and the call's step are
 * one conditional statement (lib/db/approvals.ts): of two people deciding at once, one wins
 * and the other gets a 409. The winner's instance then continues the run from the branch's
 * end where it paused, whichever instance paused it — the pause held no process.
 *
 * Throws AppError: unavailable:shutdown (this server is stopping), not_found:approval (the
 * step waits for no decision), conflict:approval (someone decided already, or the run was
 * stopped).
 */
export async function decide({
  caller,
  session,
  stepId,
  body,
}: {
  caller: Caller;
  session: SessionSummary;
  stepId: string;
  body: DecideApprovalBody;
}): Promise<Decided> {
  if (!acceptingRuns()) throw serverStopping();
  const decided = await decideApproval({
    sessionId: session.id,
    workspaceId: caller.workspaceId,
    stepId,
    input: {
      decision: body.decision === "approve" ? "approved" : "rejected",
      editedContent: body.decision === "approve" ? (body.content ?? null) : null,
      comment: body.comment?.trim() || null,
      decidedById: caller.userId,
    },
    lease: runLease(),
  });
  if (!decided) throw await refusal({ caller, session, stepId });
  const bus = getSessionBus();
  bus.publish(session.id, { type: "step.updated", step: decided.step });
  bus.publish(session.id, { type: "run.updated", run: decided.run });
  continueRun({
    run: decided.run,
    workspaceId: caller.workspaceId,
    fromStepId: decided.leafId,
    settings: session.settings,
  });
  return decided;
}

/** Why a decision did not take: nothing waits at that step (404), or it is no longer pending (409). */
async function refusal({
  caller,
  session,
  stepId,
}: {
  caller: Caller;
  session: SessionSummary;
  stepId: string;
}): Promise<AppError> {
  const approval = await readApproval({ sessionId: session.id, workspaceId: caller.workspaceId, stepId });
  if (!approval) return new AppError("not_found:approval", "This step is not waiting for a reviewer's decision.");
  const by = approval.decidedBy ? ` by ${approval.decidedBy}` : "";
  const message =
    approval.status === "approved"
      ? `Someone decided first: this change was already approved${by}.`
      : approval.status === "rejected"
        ? `Someone decided first: this change was already rejected${by}.`
        : "The run waiting for this decision was stopped, so there is nothing to decide.";
  return new AppError("conflict:approval", message, { status: approval.status });
}
