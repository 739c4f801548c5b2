import { projectAtStep } from "@/lib/db/project";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";
import { fileNameFor, fileResponse, stepParam } from "@/lib/project/http";
import { projectPatch } from "@/lib/project/patch";

type Context = { params: Promise<{ id: string }> };

/**
 * The branch's changes at `?step=` against its starting files, as a unified diff that
 * `git apply` accepts; `?download=1` makes the browser save it.
 */
export const GET = route(async (request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  const { session, start, files } = await projectAtStep({
    sessionId: id,
    workspaceId: workspace.id,
    stepId: stepParam(request),
  });
  const download = new URL(request.url).searchParams.get("download") === "1";
  return fileResponse(projectPatch(start, files), {
    type: "text/x-diff; charset=utf-8",
    fileName: fileNameFor(session.title, "patch"),
    inline: !download,
  });
});
