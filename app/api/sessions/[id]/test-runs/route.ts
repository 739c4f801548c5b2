import { runTestsAfterStep } from "@/lib/agent/person-test-run";
import { authorOf } from "@/lib/auth/authors";
import { readJson, sessionRoute } from "@/lib/http/route";
import { testRunBody } from "./schema";

/** A person runs the branch's tests at a step: the report, and the step that records it after that step. */
export const POST = sessionRoute("runs:start", async (request, { caller, session }) => {
  const body = await readJson(request, testRunBody);
  const result = await runTestsAfterStep({
    sessionId: session.id,
    workspaceId: caller.workspaceId,
    ...body,
    author: authorOf(caller),
  });
  return Response.json(result, { status: 201 });
});
