import "server-only";
import type { Caller } from "@/lib/auth/scopes";
import { AppError } from "@/lib/http/errors";
import { buildExport, NO_REVIEW } from "@/lib/project/export";
import { projectLimits } from "@/lib/project/form";
import { BranchView } from "@/lib/realtime/share-view";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { SessionSummary } from "@/lib/wire/sessions";
import { importSession } from "./project";
import { getStartingManifest, loadStartingFiles } from "./starting-files";
import { getSessionWithTree } from "./steps";

/**
 * Fork to my workspace (issue 8): the branch a share link shows, from the task to `leafId`
 * (default: the link's step, or the shared session's open branch for a whole-tree link),
 * copied with its starting files into a new session of `caller`'s workspace, recording
 * the shared session and step it came from. Goes through the export/import path, so the
 * copy is what an export of that branch would import as (streaming steps as interrupted).
 * A step the link doesn't show is 404 `not_found:step`.
 */
export async function forkSharedBranch({
  caller,
  shared,
  leafId,
}: {
  caller: Caller;
  /** the share link's caller (lib/auth/credentials.ts callerFromShareToken) */
  shared: Caller;
  leafId: string | null;
}): Promise<SessionSummary> {
  if (!shared.share) throw new AppError("not_found:share", "That is not a share link.");
  const { sessionId, leafId: sharedLeaf } = shared.share;
  const tree = await getSessionWithTree({ id: sessionId, workspaceId: shared.workspaceId });
  const visible = sharedLeaf ? new BranchView(sharedLeaf).seed(tree) : tree;
  const index = indexSteps(visible.steps);
  const target = leafId ?? sharedLeaf ?? tree.session.activeLeafId;
  if (!target || !index.byId.has(target)) {
    throw new AppError("not_found:step", "That step is not part of the shared session.");
  }
  const scope = { sessionId, workspaceId: shared.workspaceId };
  const [start, manifest] = await Promise.all([loadStartingFiles(scope), getStartingManifest(scope)]);
  const data = buildExport({
    session: {
      title: tree.session.title,
      modelId: tree.session.modelId,
      settings: tree.session.settings,
      activeLeafId: target,
    },
    steps: pathTo(index, target),
    startingFiles: start,
    skipped: manifest?.skipped ?? [],
    // a share link never shows the team's comments, reviews or who decided what
    review: NO_REVIEW,
    exportedAt: new Date(),
  });
  const { session } = await importSession({
    workspaceId: caller.workspaceId,
    data,
    limits: projectLimits(),
    forkedFrom: { sessionId, stepId: target },
  });
  return session;
}
