/**
 * The plan gate on the wire (issue 12 item 2): a decision's request body and the workspace's
 * list of pending approvals. Plain shapes both sides import; no server module.
 */

/** An approval's life: waiting, decided either way, or cancelled by a Stop while it waited. */
export type ApprovalStatus = "pending" | "approved" | "rejected" | "cancelled";

/**
 * POST /api/sessions/:id/steps/:stepId/approval. `approve` runs the call as the model sent
 * it, or — with `content` — writes the reviewer's version of the file instead (edit then
 * approve); `reject` needs a `comment`, which the model reads as the call's result.
 */
export interface DecideApprovalBody {
  decision: "approve" | "reject";
  /** edit then approve: the whole file as the reviewer wants it written */
  content?: string;
  comment?: string;
}

/** One pending approval, as GET /api/approvals lists it (newest first). */
export interface PendingApproval {
  id: string;
  sessionId: string;
  sessionTitle: string;
  /** the tool_call step waiting */
  stepId: string;
  runId: string | null;
  toolName: string;
  /** the file it would write, when its arguments name one */
  path: string | null;
  createdAt: string;
}
