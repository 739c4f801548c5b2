import { projectAtStep } from "@/lib/db/project";
import { sessionRoute } from "@/lib/http/route";
import { fileNameFor, fileResponse, stepParam } from "@/lib/project/http";
import { zipProject } from "@/lib/project/zip";

/** The branch's files at `?step=` (default: the branch on screen) as a .zip. */
export const GET = sessionRoute("sessions:read", async (request, { caller, session: { id } }) => {
  const { session, files } = await projectAtStep({
    sessionId: id,
    workspaceId: caller.workspaceId,
    stepId: stepParam(request),
  });
  const zip = zipProject(files);
  return fileResponse(zip.slice().buffer, { type: "application/zip", fileName: fileNameFor(session.title, "zip") });
});
