import { callerFromShareToken } from "@/lib/auth/credentials";
import { forkBody } from "@/lib/auth/schema";
import { forkSharedBranch } from "@/lib/db/forks";
import { AppError } from "@/lib/http/errors";
import { readJson, workspaceRoute } from "@/lib/http/route";

/**
 * Fork to my workspace: the branch a share link shows (or the step `leafId` on it) becomes
 * a new session of the caller's workspace that records where it came from.
 */
export const POST = workspaceRoute("sessions:write", async (request, { caller }) => {
  const body = await readJson(request, forkBody);
  const shared = await callerFromShareToken(body.token);
  if (!shared)
    throw new AppError("not_found:share", "This share link doesn't work any more: it was revoked or expired.");
  const session = await forkSharedBranch({ caller, shared, leafId: body.leafId ?? null });
  return Response.json({ session }, { status: 201 });
});
