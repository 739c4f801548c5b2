import { importSession } from "@/lib/db/project";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";
import { parseExport } from "@/lib/project/export";
import { assertUploadSize, projectLimits } from "@/lib/project/form";

/** A JSON export (the body, as downloaded) becomes a new session of this workspace. */
export const POST = route(async (request) => {
  const limits = projectLimits();
  assertUploadSize(request, limits);
  const data = parseExport(await request.text());
  const workspace = await getCurrentWorkspace();
  const session = await importSession({ workspaceId: workspace.id, data, limits });
  return Response.json({ session }, { status: 201 });
});
