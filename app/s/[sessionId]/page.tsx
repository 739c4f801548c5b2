import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SessionHeader } from "@/components/session/session-header";
import { SessionView } from "@/components/session/session-view";
import { getBranchView } from "@/lib/db/branch-view";
import { getSessionById } from "@/lib/db/sessions";
import { getStartingManifest } from "@/lib/db/starting-files";
import { isAppError } from "@/lib/http/errors";
import { isPlausibleId } from "@/lib/http/input";
import { sessionPageCaller } from "@/lib/http/page-caller";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ sessionId: string }>;
  searchParams: Promise<{ leaf?: string | string[] }>;
};

/** The branch on screen (`leaf`'s latest continuation, else the session's active one) and its last steps, not the whole tree. */
async function loadSession(id: string, leafId: string | null) {
  // An address that can't hold one of our ids (NUL, a broken %-escape kept as text, 1 MB) finds nothing.
  if (!isPlausibleId(id)) notFound();
  const caller = await sessionPageCaller("sessions:read", id);
  try {
    return { caller, ...(await getBranchView({ id, workspaceId: caller.workspaceId, leafId })) };
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { sessionId } = await params;
  if (!isPlausibleId(sessionId)) return { title: "Not found" };
  const caller = await sessionPageCaller("sessions:read", sessionId);
  const session = await getSessionById({ id: sessionId, workspaceId: caller.workspaceId }).catch(() => null);
  return { title: session?.title ?? "Session" };
}

export default async function SessionPage({ params, searchParams }: Props) {
  const [{ sessionId }, { leaf }] = await Promise.all([params, searchParams]);
  const requestedLeaf = typeof leaf === "string" && isPlausibleId(leaf) ? leaf : null;
  const { caller, session, steps, runs, branch } = await loadSession(sessionId, requestedLeaf);
  // Only once the session is known to be in this workspace.
  const manifest = await getStartingManifest({ sessionId: session.id, workspaceId: caller.workspaceId });
  // Paths and sizes only: a 20 MB project's content is fetched file by file as the editor needs it.
  const startingFiles = {
    files: manifest?.files.map(({ path, size }) => ({ path, size })) ?? [],
    skipped: manifest?.skipped ?? [],
  };
  // On wide screens the view fills the window under the 3rem app header (and its 1px border); panes scroll inside.
  return (
    <div className="flex flex-1 flex-col lg:h-[calc(100dvh-3rem-1px)] lg:flex-none lg:overflow-hidden">
      <div className="border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <SessionHeader session={session} />
      </div>
      <SessionView
        // A different session is a different view: start from fresh state.
        key={session.id}
        session={session}
        steps={steps}
        runs={runs}
        branch={branch}
        startingFiles={startingFiles}
      />
    </div>
  );
}
