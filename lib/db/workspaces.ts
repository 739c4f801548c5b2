import "server-only";
import { AppError } from "@/lib/http/errors";
import { getPrisma } from "./client";

export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
}

/** The caller's workspace; 404 `not_found:workspace` when it is gone. */
export async function getWorkspace({ caller }: { caller: { workspaceId: string } }): Promise<WorkspaceRef> {
  const prisma = await getPrisma();
  const row = await prisma.workspace.findUnique({
    where: { id: caller.workspaceId },
    select: { id: true, slug: true, name: true },
  });
  if (!row) throw new AppError("not_found:workspace", "This workspace doesn't exist any more.");
  return row;
}

/**
 * The workspace holding session `id` when it is another workspace the caller's person is a
 * member of (a teammate's link opened while this browser works in another workspace of
 * theirs); null otherwise: no such session, one in the caller's workspace, one of a
 * workspace they are not in, or a caller that is no signed-in person.
 */
export async function memberWorkspaceOfSession({
  caller,
  id,
}: {
  caller: { workspaceId: string; userId: string | null; via: string };
  id: string;
}): Promise<{ id: string; name: string } | null> {
  if (!caller.userId || caller.via !== "cookie") return null;
  const prisma = await getPrisma();
  const row = await prisma.session.findFirst({
    where: { id, workspace: { members: { some: { userId: caller.userId } } } },
    select: { workspace: { select: { id: true, name: true } } },
  });
  return row && row.workspace.id !== caller.workspaceId ? row.workspace : null;
}
