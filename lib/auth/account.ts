import "server-only";
import type { Caller } from "@/lib/auth/scopes";
import { getPrisma } from "@/lib/db/client";
import { getWorkspace } from "@/lib/db/workspaces";
import { AppError } from "@/lib/http/errors";
import type { AccountView } from "@/lib/wire/accounts";
import { listMemberships } from "./members";
import { type SignedIn, signedIn } from "./session-caller";

/** The caller's account, current workspace and memberships. */
export async function accountOf(caller: Caller): Promise<AccountView> {
  const workspace = await getWorkspace({ caller });
  const current = { id: workspace.id, name: workspace.name, role: caller.role };
  if (!caller.userId) return { user: null, workspace: current, workspaces: [] };
  const prisma = await getPrisma();
  const [user, workspaces] = await Promise.all([
    prisma.user.findUniqueOrThrow({
      where: { id: caller.userId },
      select: { id: true, name: true, email: true, isAnonymous: true },
    }),
    listMemberships(caller.userId),
  ]);
  const guest = Boolean(user.isAnonymous);
  return {
    user: { id: user.id, name: user.name, email: guest ? null : user.email, guest },
    workspace: current,
    workspaces,
  };
}

/**
 * The signed-in browser behind a request: switching workspaces and accepting invitations
 * change what one browser works in, so they need its sign-in cookie (an API token: 400).
 */
export async function requireBrowser(request: Request): Promise<SignedIn> {
  const browser = await signedIn(request);
  if (!browser) {
    throw new AppError(
      "bad_request:browser",
      "Only a signed-in browser can do this, not an API token or a share link.",
    );
  }
  return browser;
}
