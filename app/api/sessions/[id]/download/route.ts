import { projectAtStep } from "@/lib/db/project";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";
import { fileNameFor, fileResponse, stepParam } from "@/lib/project/http";
import { zipProject } from "@/lib/project/zip";

type Context = { params: Promise<{ id: string }> };

/** The branch's files at `?step=` (default: the branch on screen) as a .zip. */
export const GET = route(async (request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  const { session, files } = await projectAtStep({
    sessionId: id,
    workspaceId: workspace.id,
    stepId: stepParam(request),
  });
  const zip = zipProject(files);
  return fileResponse(zip.slice().buffer, { type: "application/zip", fileName: fileNameFor(session.title, "zip") });
});
