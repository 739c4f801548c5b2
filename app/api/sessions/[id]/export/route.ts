import { exportSession, projectAtStep } from "@/lib/db/project";
import { getStartingManifest } from "@/lib/db/starting-files";
import { sessionRoute } from "@/lib/http/route";
import { branchMarkdown } from "@/lib/project/export";
import { exportFormat, fileNameFor, fileResponse, stepParam } from "@/lib/project/http";

/**
 * `?format=json` (default): the whole session, versioned (docs/export-format.md).
 * `?format=markdown`: the branch ending at `?step=` (default: the branch on screen).
 */
export const GET = sessionRoute("sessions:read", async (request, { caller, session: { id } }) => {
  if (exportFormat(request) === "json") {
    const data = await exportSession({ id, workspaceId: caller.workspaceId });
    return fileResponse(JSON.stringify(data), {
      type: "application/json; charset=utf-8",
      fileName: fileNameFor(data.session.title, "interleave.json"),
    });
  }
  const { session, path } = await projectAtStep({
    sessionId: id,
    workspaceId: caller.workspaceId,
    stepId: stepParam(request),
  });
  const manifest = await getStartingManifest({ sessionId: id, workspaceId: caller.workspaceId });
  const markdown = branchMarkdown({
    title: session.title,
    modelId: session.modelId,
    path,
    startingPaths: manifest?.files.map((file) => file.path) ?? [],
  });
  return fileResponse(markdown, { type: "text/markdown; charset=utf-8", fileName: fileNameFor(session.title, "md") });
});
