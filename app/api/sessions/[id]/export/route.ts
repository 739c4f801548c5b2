import { exportSession, projectAtStep } from "@/lib/db/project";
import { getStartingManifest } from "@/lib/db/starting-files";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";
import { branchMarkdown } from "@/lib/project/export";
import { exportFormat, fileNameFor, fileResponse, stepParam } from "@/lib/project/http";

type Context = { params: Promise<{ id: string }> };

/**
 * `?format=json` (default): the whole session, versioned (docs/export-format.md).
 * `?format=markdown`: the branch ending at `?step=` (default: the branch on screen).
 */
export const GET = route(async (request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  if (exportFormat(request) === "json") {
    const data = await exportSession({ id, workspaceId: workspace.id });
    return fileResponse(JSON.stringify(data), {
      type: "application/json; charset=utf-8",
      fileName: fileNameFor(data.session.title, "interleave.json"),
    });
  }
  const { session, path } = await projectAtStep({
    sessionId: id,
    workspaceId: workspace.id,
    stepId: stepParam(request),
  });
  const manifest = await getStartingManifest(id);
  const markdown = branchMarkdown({
    title: session.title,
    modelId: session.modelId,
    path,
    startingPaths: manifest?.files.map((file) => file.path) ?? [],
  });
  return fileResponse(markdown, { type: "text/markdown; charset=utf-8", fileName: fileNameFor(session.title, "md") });
});
