import { createSession, listSessions } from "@/lib/db/sessions";
import { parseWith, readJson, workspaceRoute } from "@/lib/http/route";
import { resolveModelForNewSession } from "@/lib/model/registry";
import { assertUploadSize, formText, projectFromForm, projectLimits, readForm } from "@/lib/project/form";
import { newIntake } from "@/lib/project/intake";
import { createSessionBody, DEFAULT_MAX_TURNS } from "@/lib/sessions/schema";

export const GET = workspaceRoute("sessions:read", async (_request, { caller }) => {
  return Response.json({ sessions: await listSessions({ workspaceId: caller.workspaceId }) });
});

/** JSON `{ task, modelId?, maxTurns? }`, or multipart/form-data with starting files too (docs/api.md). */
export const POST = workspaceRoute("sessions:write", async (request, { caller }) => {
  const limits = projectLimits();
  let body: { task: string; modelId?: string; maxTurns?: number };
  let project = newIntake(limits);
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    assertUploadSize(request, limits);
    const form = await readForm(request);
    const maxTurns = formText(form, "maxTurns");
    body = parseWith(createSessionBody, {
      task: formText(form, "task"),
      modelId: formText(form, "modelId"),
      maxTurns: maxTurns === undefined || maxTurns === "" ? undefined : Number(maxTurns),
    });
    project = await projectFromForm(form, limits);
  } else {
    body = await readJson(request, createSessionBody);
  }
  const modelId = resolveModelForNewSession(body.modelId);
  const session = await createSession({
    workspaceId: caller.workspaceId,
    task: body.task,
    modelId,
    settings: { maxTurns: body.maxTurns ?? DEFAULT_MAX_TURNS },
    starting: { files: project.files, skipped: project.skipped },
    createdById: caller.userId,
  });
  return Response.json(
    { session, startingFiles: { fileCount: project.files.size, totalBytes: project.bytes, skipped: project.skipped } },
    { status: 201 },
  );
});
