import { readJson, sessionRoute } from "@/lib/http/route";
import { decide } from "@/lib/review/approvals";
import { decideApprovalBody } from "./schema";

/** A reviewer approves (as proposed, or with their edit) or rejects a paused file write; the run goes on. */
export const POST = sessionRoute<{ id: string; stepId: string }>(
  "approvals:decide",
  async (request, { caller, session, params }) => {
    const body = await readJson(request, decideApprovalBody);
    const { run, step } = await decide({ caller, session, stepId: params.stepId, body });
    return Response.json({ run, step });
  },
);
