import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SharedSession } from "@/components/session/shared-session";
import { callerFromShareToken } from "@/lib/auth/credentials";
import { pageSignedIn } from "@/lib/auth/page-account";
import { tokenKind } from "@/lib/auth/tokens";
import { getCallerBranchView } from "@/lib/db/branch-view";
import { getStartingManifest } from "@/lib/db/starting-files";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/http/errors";
import { isPlausibleId } from "@/lib/http/input";

export const dynamic = "force-dynamic";
// The proxy sends X-Robots-Tag and Referrer-Policy: no-referrer on /share/* as well.
export const metadata: Metadata = {
  title: "Shared session",
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

type Props = {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ leaf?: string | string[]; fork?: string | string[] }>;
};

/** The link's caller (an anonymous viewer of one session, or one branch of it), or the "no longer works" page. */
async function shareCaller(token: string) {
  if (tokenKind(token) !== "share") notFound();
  const caller = await callerFromShareToken(token);
  if (!caller?.share) notFound();
  return { caller, share: caller.share };
}

/**
 * A share link's page, /share/<token>: the session it shares — one branch (and what grows
 * after it) or the whole tree — read-only and live, to anyone with the link, signed in or
 * not; nothing else of the workspace. Opening it makes no account: only "Fork to my
 * workspace" does (a guest one, when the visitor has none). An unknown, revoked or expired
 * link is a 404 that says so.
 */
export default async function SharePage({ params, searchParams }: Props) {
  const [{ token }, { leaf, fork }] = await Promise.all([params, searchParams]);
  const { caller, share } = await shareCaller(token);
  const requestedLeaf = typeof leaf === "string" && isPlausibleId(leaf) ? leaf : null;
  let view: Awaited<ReturnType<typeof getCallerBranchView>>;
  try {
    view = await getCallerBranchView(caller, { id: share.sessionId, leafId: requestedLeaf });
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
  const [manifest, visitor] = await Promise.all([
    getStartingManifest({ sessionId: share.sessionId, workspaceId: caller.workspaceId }),
    pageSignedIn(),
  ]);
  return (
    <SharedSession
      token={token}
      scope={share.leafId ? "branch" : "tree"}
      scopes={[...caller.scopes]}
      session={view.session}
      steps={view.steps}
      runs={view.runs}
      branch={view.branch}
      startingFiles={{
        files: manifest?.files.map(({ path, size }) => ({ path, size })) ?? [],
        skipped: manifest?.skipped ?? [],
      }}
      signedIn={visitor !== null}
      guests={env().AUTH_GUESTS}
      forkNow={fork === "1" && visitor !== null}
    />
  );
}
