import { getSessionById } from "@/lib/db/sessions";
import { loadStartingFiles } from "@/lib/db/starting-files";
import { getCurrentWorkspace } from "@/lib/db/workspaces";
import { AppError } from "@/lib/http/errors";
import { quote } from "@/lib/http/input";
import { route } from "@/lib/http/route";

type Context = { params: Promise<{ id: string }> };

/** Paths one request may ask for. */
const MAX_PATHS = 100;

/** The content of some starting files: `?path=a&path=b` → `{ files: { a: "…", b: "…" } }`. */
export const GET = route(async (request, { params }: Context) => {
  const { id } = await params;
  const paths = new URL(request.url).searchParams.getAll("path");
  if (paths.length === 0) throw new AppError("bad_request:path", "Name the files to read: ?path=src/a.ts&path=…");
  if (paths.length > MAX_PATHS) {
    throw new AppError("bad_request:path", `Ask for at most ${MAX_PATHS} files at once.`);
  }
  const workspace = await getCurrentWorkspace();
  await getSessionById({ id, workspaceId: workspace.id });
  const files = await loadStartingFiles(id, paths);
  const missing = paths.find((path) => !files.has(path));
  if (missing !== undefined) {
    throw new AppError("not_found:file", `${quote(missing)} is not one of this session's starting files.`);
  }
  return Response.json({ files: Object.fromEntries(files) });
});
