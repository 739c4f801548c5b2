import { loadStartingFiles } from "@/lib/db/starting-files";
import { AppError } from "@/lib/http/errors";
import { quote } from "@/lib/http/input";
import { sessionRoute } from "@/lib/http/route";

/** Paths one request may ask for. */
const MAX_PATHS = 100;

/** The content of some starting files: `?path=a&path=b` → `{ files: { a: "…", b: "…" } }`. */
export const GET = sessionRoute(
  "sessions:read",
  async (request, { caller, session }) => {
    const paths = new URL(request.url).searchParams.getAll("path");
    if (paths.length === 0) throw new AppError("bad_request:path", "Name the files to read: ?path=src/a.ts&path=…");
    if (paths.length > MAX_PATHS) {
      throw new AppError("bad_request:path", `Ask for at most ${MAX_PATHS} files at once.`);
    }
    const files = await loadStartingFiles({ sessionId: session.id, workspaceId: caller.workspaceId, paths });
    const missing = paths.find((path) => !files.has(path));
    if (missing !== undefined) {
      throw new AppError("not_found:file", `${quote(missing)} is not one of this session's starting files.`);
    }
    return Response.json({ files: Object.fromEntries(files) });
  },
  { shareable: true },
);
