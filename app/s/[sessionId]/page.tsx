import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { SwitchToWorkspace } from "@/components/account/switch-to-workspace";
import { SessionPage } from "@/components/session/session-page";
import { getCallerBranchView } from "@/lib/db/branch-view";
import { getSessionById } from "@/lib/db/sessions";
import { getStartingManifest } from "@/lib/db/starting-files";
import { memberWorkspaceOfSession } from "@/lib/db/workspaces";
import { isAppError } from "@/lib/http/errors";
import { isPlausibleId } from "@/lib/http/input";
import { sessionPageCaller } from "@/lib/http/page-caller";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ sessionId: string }>;
  searchParams: Promise<{ leaf?: string | string[] }>;
};

/**
 * The branch on screen (`leaf`'s latest continuation, else the session's active one) and
 * its last steps, not the whole tree, with the starting files' manifest. Once per request
 * (React cache): the page's metadata and the page itself both ask for it. A session of
 * another workspace the person is in answers that workspace (`elsewhere`), to switch to.
 */
const loadSession = cache(async (id: string, leafId: string | null) => {
  // An address that can't hold one of our ids (NUL, a broken %-escape kept as text, 1 MB) finds nothing.
  if (!isPlausibleId(id)) notFound();
  const caller = await sessionPageCaller("sessions:read", id);
  try {
    // Both reads are scoped to the caller's workspace, so they go together. A share link's
    // token (a bearer header) reads what the link shows, as its own page does.
    const [view, manifest] = await Promise.all([
      getCallerBranchView(caller, { id, leafId }),
      getStartingManifest({ sessionId: id, workspaceId: caller.workspaceId }),
    ]);
    return { ...view, manifest, caller, elsewhere: null };
  } catch (error) {
    if (!isAppError(error) || error.status !== 404) throw error;
    const elsewhere = await memberWorkspaceOfSession({ caller, id });
    if (!elsewhere) notFound();
    return { elsewhere };
  }
});

/** The leaf asked for in `?leaf=`, when it can be one of our ids. */
async function requestedLeaf(searchParams: Props["searchParams"]): Promise<string | null> {
  const { leaf } = await searchParams;
  return typeof leaf === "string" && isPlausibleId(leaf) ? leaf : null;
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { sessionId } = await params;
  if (!isPlausibleId(sessionId)) return { title: "Not found" };
  const view = await loadSession(sessionId, await requestedLeaf(searchParams)).catch(() => null);
  return { title: view && !view.elsewhere ? view.session.title : "Session" };
}

export default async function SessionRoutePage({ params, searchParams }: Props) {
  const [{ sessionId }, leafId] = await Promise.all([params, requestedLeaf(searchParams)]);
  const loaded = await loadSession(sessionId, leafId);
  if (loaded.elsewhere) return <SwitchToWorkspace workspace={loaded.elsewhere} />;
  const { caller, session, steps, runs, branch, manifest } = loaded;
  // Paths and sizes only: a 20 MB project's content is fetched file by file as the editor needs it.
  const startingFiles = {
    files: manifest?.files.map(({ path, size }) => ({ path, size })) ?? [],
    skipped: manifest?.skipped ?? [],
  };
  // A fork names the shared session it came from when this workspace holds it.
  const origin = session.forkedFrom ?? null;
  const originTitle = origin
    ? await getSessionById({ id: origin.sessionId, workspaceId: caller.workspaceId }).then(
        (found) => found.title,
        () => null,
      )
    : null;
  return (
    <SessionPage
      session={session}
      steps={steps}
      runs={runs}
      branch={branch}
      startingFiles={startingFiles}
      scopes={[...caller.scopes]}
      forkOrigin={origin ? { ...origin, title: originTitle } : null}
    />
  );
}
