import { getStartingManifest } from "@/lib/db/starting-files";
import { sessionRoute } from "@/lib/http/route";

/** The session's starting files without their content (paths, sizes, what was skipped). */
export const GET = sessionRoute(
  "sessions:read",
  async (_request, { session }) => {
    const manifest = await getStartingManifest(session.id);
    return Response.json({ startingFiles: manifest ?? { files: [], skipped: [], fileCount: 0, totalBytes: 0 } });
  },
  { shareable: true },
);
