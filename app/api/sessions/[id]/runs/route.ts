import { startRun } from "@/lib/agent/run";
import { authorOf } from "@/lib/auth/authors";
import { assertRunStartsAllowed } from "@/lib/auth/run-limit";
import { listSessionRuns } from "@/lib/db/runs";
import { readJson, sessionRoute } from "@/lib/http/route";
import { startRunBody } from "./schema";

export const GET = sessionRoute("sessions:read", async (_request, { caller, session }) => {
  return Response.json({ runs: await listSessionRuns({ sessionId: session.id, workspaceId: caller.workspaceId }) });
});

/**
 * Starts a run continuing from `fromStepId` (default: the branch on screen); returns at
 * once. Over RUN_STARTS_PER_MINUTE for the user: 429 with Retry-After.
 */
export const POST = sessionRoute("runs:start", async (request, { caller, session }) => {
  const body = await readJson(request, startRunBody);
  assertRunStartsAllowed(caller);
  const run = await startRun({
    sessionId: session.id,
    workspaceId: caller.workspaceId,
    fromStepId: body.fromStepId,
    author: authorOf(caller),
  });
  return Response.json({ run }, { status: 202 });
});
