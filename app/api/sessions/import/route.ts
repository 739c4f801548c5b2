import { importSession } from "@/lib/db/project";
import { workspaceRoute } from "@/lib/http/route";
import { parseExport } from "@/lib/project/export";
import { assertUploadSize, projectLimits } from "@/lib/project/form";

/**
 * A JSON export (the body, as downloaded) becomes a new session of this workspace: 201
 * `{ session, notices }`, `notices` saying what of the file was left out (a branch review
 * on a step that later steps continue), else empty.
 */
export const POST = workspaceRoute("sessions:write", async (request, { caller }) => {
  const limits = projectLimits();
  assertUploadSize(request, limits);
  const data = parseExport(await request.text());
  const { session, notices } = await importSession({ workspaceId: caller.workspaceId, data, limits });
  return Response.json({ session, notices }, { status: 201 });
});
