import { importSession } from "@/lib/db/project";
import { workspaceRoute } from "@/lib/http/route";
import { parseExport } from "@/lib/project/export";
import { assertUploadSize, projectLimits } from "@/lib/project/form";

/** A JSON export (the body, as downloaded) becomes a new session of this workspace. */
export const POST = workspaceRoute("sessions:write", async (request, { caller }) => {
  const limits = projectLimits();
  assertUploadSize(request, limits);
  const data = parseExport(await request.text());
  const session = await importSession({ workspaceId: caller.workspaceId, data, limits });
  return Response.json({ session }, { status: 201 });
});
