import { startRun } from "@/lib/agent/run";
import { authorOf } from "@/lib/auth/authors";
import { assertRunStartsAllowed } from "@/lib/auth/run-limit";
import { createComparisonBody } from "@/lib/compare/schema";
import { createComparisonSessions } from "@/lib/db/comparisons";
import { readJson, workspaceRoute } from "@/lib/http/route";
import { resolveModelForNewSession } from "@/lib/model/registry";
import { DEFAULT_MAX_TURNS } from "@/lib/sessions/schema";

/**
 * `{ task, modelIds (2–4), maxTurns? }` → one session per model sharing a comparison id,
 * each with its run started (docs/api.md). Every model is checked before anything is made.
 */
export const POST = workspaceRoute("runs:start", async (request, { caller }) => {
  const body = await readJson(request, createComparisonBody);
  const modelIds = body.modelIds.map((id) => resolveModelForNewSession(id));
  assertRunStartsAllowed(caller, modelIds.length);
  const { id, sessions } = await createComparisonSessions({
    workspaceId: caller.workspaceId,
    task: body.task,
    modelIds,
    maxTurns: body.maxTurns ?? DEFAULT_MAX_TURNS,
  });
  const runs = [];
  for (const session of sessions)
    runs.push(await startRun({ sessionId: session.id, workspaceId: caller.workspaceId, author: authorOf(caller) }));
  return Response.json({ comparison: { id, sessions, runs } }, { status: 201 });
});
