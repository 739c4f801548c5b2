import { runTestsAfterStep } from "@/lib/agent/person-test-run";
import { authorOf } from "@/lib/auth/authors";
import { holdTestRun } from "@/lib/auth/run-limit";
import { readJson, sessionRoute } from "@/lib/http/route";
import { testRunBody } from "./schema";

/** A person runs the branch's tests at a step: the report, and the step that records it after that step. At most TEST_RUNS_AT_ONCE going per person (429 `rate_limit:test_runs`). */
export const POST = sessionRoute("runs:start", async (request, { caller, session }) => {
  const body = await readJson(request, testRunBody);
  const release = holdTestRun(caller);
  try {
    const result = await runTestsAfterStep({
      sessionId: session.id,
      workspaceId: caller.workspaceId,
      ...body,
      author: authorOf(caller),
    });
    return Response.json(result, { status: 201 });
  } finally {
    release();
  }
});
