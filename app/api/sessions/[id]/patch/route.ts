import { projectAtStep } from "@/lib/db/project";
import { sessionRoute } from "@/lib/http/route";
import { fileNameFor, fileResponse, stepParam } from "@/lib/project/http";
import { projectPatch } from "@/lib/project/patch";

/**
 * The branch's changes at `?step=` against its starting files, as a unified diff that
 * `git apply` accepts; `?download=1` makes the browser save it.
 */
export const GET = sessionRoute("sessions:read", async (request, { caller, session: { id } }) => {
  const { session, start, files } = await projectAtStep({
    sessionId: id,
    workspaceId: caller.workspaceId,
    stepId: stepParam(request),
  });
  const download = new URL(request.url).searchParams.get("download") === "1";
  return fileResponse(projectPatch(start, files), {
    type: "text/x-diff; charset=utf-8",
    fileName: fileNameFor(session.title, "patch"),
    inline: !download,
  });
});
