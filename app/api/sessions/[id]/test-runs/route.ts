import { runTestsAfterStep } from "@/lib/agent/person-test-run";
import { getSessionById } from "@/lib/db/sessions";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { readJson, route } from "@/lib/http/route";
import { testRunBody } from "./schema";

type Context = { params: Promise<{ id: string }> };

/** A person runs the branch's tests at a step: the report, and the step that records it after that step. */
export const POST = route(async (request, { params }: Context) => {
  const { id } = await params;
  const body = await readJson(request, testRunBody);
  const workspace = await getCurrentWorkspace();
  await getSessionById({ id, workspaceId: workspace.id });
  const result = await runTestsAfterStep({ sessionId: id, ...body });
  return Response.json(result, { status: 201 });
});
