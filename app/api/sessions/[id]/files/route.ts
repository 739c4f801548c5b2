import { authorOf } from "@/lib/auth/authors";
import { readJson, sessionRoute } from "@/lib/http/route";
import { saveFile } from "@/lib/sessions/edits";
import { saveFileBody } from "./schema";

/** A person saved a file in the editor: a new step after `afterStepId` that writes it. */
export const POST = sessionRoute("steps:edit", async (request, { caller, session }) => {
  const body = await readJson(request, saveFileBody);
  const step = await saveFile({
    sessionId: session.id,
    workspaceId: caller.workspaceId,
    ...body,
    author: authorOf(caller),
  });
  return Response.json({ step }, { status: 201 });
});
