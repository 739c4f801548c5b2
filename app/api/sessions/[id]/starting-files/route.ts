import { getStartingManifest } from "@/lib/db/starting-files";
import { sessionRoute } from "@/lib/http/route";

/** The session's starting files without their content (paths, sizes, what was skipped). */
export const GET = sessionRoute(
  "sessions:read",
  async (_request, { caller, session }) => {
    const manifest = await getStartingManifest({ sessionId: session.id, workspaceId: caller.workspaceId });
    return Response.json({ startingFiles: manifest ?? { files: [], skipped: [], fileCount: 0, totalBytes: 0 } });
  },
  { shareable: true },
);
