import { getSessionById } from "@/lib/db/sessions";
import { getStartingManifest } from "@/lib/db/starting-files";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { route } from "@/lib/http/route";

type Context = { params: Promise<{ id: string }> };

/** The session's starting files without their content (paths, sizes, what was skipped). */
export const GET = route(async (_request, { params }: Context) => {
  const { id } = await params;
  const workspace = await getCurrentWorkspace();
  await getSessionById({ id, workspaceId: workspace.id });
  const manifest = await getStartingManifest(id);
  return Response.json({ startingFiles: manifest ?? { files: [], skipped: [], fileCount: 0, totalBytes: 0 } });
});
